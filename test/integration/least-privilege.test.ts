/**
 * Least privilege, proven end to end: the real portal runs the status API and
 * both templates with exactly the permissions docs/install grants, and one
 * permission less fails with a clear message.
 *
 * - AWS: the portal's `aws.mainAccount` is an access key of an IAM user of an
 *   IAM-ENFORCING moto of its own (peers/iam-enforcement.ts), holding exactly
 *   one documented policy per phase (placeholders filled). moto authorizes
 *   actions, not resources or conditions, so each Allow statement also names
 *   `*` (motoEvaluableDocument); the resource and condition scoping is proven
 *   statically by install-permissions.test.ts. moto does not authorize
 *   dependent or tag-on-create actions (iam:PassRole, iam:TagRole with
 *   CreateRole…), and the EKS Pod Identity calls are answered by our emulator,
 *   which authorizes nothing: those actions cannot be shown missing here.
 * - Kubernetes: the Kubernetes plugin's one cluster authenticates with the
 *   token of a ServiceAccount bound by exactly the two ClusterRoles of
 *   docs/install/rbac (the status reader cluster-wide, the dry run in the
 *   gateway namespace); per phase, the role not in use has no rules. The
 *   status backend's watch cache meets an RBAC change only at its next list
 *   or watch request: this portal stops idle watches after a second, and a
 *   status case reads once they are idle (a fresh first list and watch).
 * - One less: each IAM action the controller-setup template sends (on a first
 *   run, on a re-run, and to repair a drifted trust policy, boundary, tag or
 *   policy version), each of the status reader's five actions, each verb and
 *   resource of both ClusterRoles the classic TCP endpoint uses (not
 *   udproutes, tlsroutes, nor `get gateways`, which serves entities naming
 *   their Gateways: install-permissions.test.ts covers those).
 */
import {
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DeletePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EC2Client } from '@aws-sdk/client-ec2';
import fs from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import type { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { awsClientConfigFrom, createNetworkAt } from '../peers/aws';
import { motoEvaluableDocument } from '../peers/iam-enforcement';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { FakeController } from '../fixtures/controller';
import {
  ensureClassicGatewayClass,
  programClassicGateway,
} from '../fixtures/classicGateway';
import { freshGitOpsRepo } from './support/freshGitOpsRepo';
import {
  asList,
  filledPolicy,
  Identity,
  PolicyDocument,
} from './support/installDocs';
import {
  GATEWAY_NAMESPACE,
  LEAST_PRIVILEGE_CLUSTER as CLUSTER,
  LeastPrivilegePortal,
  startLeastPrivilegePortal,
  WATCH_RETRY_MAX_SECONDS,
} from './support/leastPrivilegePortal';
import { TaskResult } from './support/scaffolderClient';
import { ensureBackendService } from './support/templatesPortal';

let env: LeastPrivilegePortal;
const started = Date.now();
const figures: string[] = [];
const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

beforeAll(async () => {
  env = await startLeastPrivilegePortal('least-privilege');
  expect(env.portal.startupErrors).toEqual([]);
  figures.push(`portal ready ${seconds(started)} s after the file began`);
}, 900_000);

afterAll(async () => {
  await env?.stop();
  console.log(
    [
      `Least privilege end to end (${seconds(started)} s in all):`,
      ...figures,
    ].join('\n  '),
  );
});

/** The documented policy of `identity` as moto can evaluate it, optionally without one action. */
function policy(identity: Identity, without?: string): Record<string, string> {
  const doc = JSON.parse(
    motoEvaluableDocument(filledPolicy(identity, env.values)),
  ) as PolicyDocument;
  if (without) {
    doc.Statement = doc.Statement.flatMap(s => {
      const actions = asList(s.Action).filter(a => a !== without);
      return actions.length ? [{ ...s, Action: actions }] : [];
    });
  }
  return { [`gateway-portal-${identity}`]: JSON.stringify(doc) };
}

/** Every action an Allow statement of the documented policy names. */
function documentedActions(identity: Identity): string[] {
  const doc = JSON.parse(filledPolicy(identity, env.values)) as PolicyDocument;
  return doc.Statement.filter(s => s.Effect === 'Allow').flatMap(s =>
    asList(s.Action),
  );
}

/** The portal's AWS operations since the proxy was last reset. */
const sentOperations = () => new Set(env.proxy.calls.map(c => c.operation));

/** What the user reads of a task: its log and its error. */
function taskText(result: TaskResult): string {
  const completion = result.events.find(e => e.type === 'completion');
  return [...result.log, completion?.body.error?.message ?? ''].join('\n');
}

function expectNoSecret(text: string) {
  for (const secret of env.secrets) expect(text).not.toContain(secret);
}

/** IAM names the caller in a refusal ("User: arn:aws:iam::…:user/…"): the portal never passes it on. */
function expectNoPrincipal(text: string) {
  expect(text).not.toContain(`arn:aws:iam::${env.values.ACCOUNT_ID}:user/`);
  expect(text).not.toMatch(/\b(?:User: arn|assumed-role\/)/);
}

function expectCompleted(result: TaskResult) {
  if (result.status !== 'completed')
    throw new Error(
      `task ${result.status}:\n${result.log.slice(-15).join('\n')}`,
    );
}

async function gatewayStatus(): Promise<EntityGatewaysResponse> {
  const res = await env.client.request(
    'GET',
    '/api/aws-gateway/entities/component/default/backend/gateways?refresh=true',
  );
  expect(res.status).toBe(200);
  return res.body as EntityGatewaysResponse;
}

describe('the templates with exactly the provisioner policy and the dry-run ClusterRole', () => {
  let controllerValues: Record<string, unknown>;
  let firstRun: Set<string>;
  let reRun: Set<string>;
  const rows: string[] = [];

  beforeAll(async () => {
    await env.grantAws(policy('provisioner'));
    await env.setRules('status-reader.yaml', []);
    await env.setRules('dry-run.yaml', env.documentedRules('dry-run.yaml'));
    await ensureBackendService(kubeConfigFor(PROFILE_V16), GATEWAY_NAMESPACE);
  });

  afterAll(() => figures.push(...rows));

  it('sets up the controller (IAM policy, role with the boundary, Pod Identity association, GitOps commit), and a re-run finishes', async () => {
    const { values } = await freshGitOpsRepo(env, CLUSTER, 'lp-controller');
    controllerValues = values.controller;
    env.proxy.reset();
    const t0 = Date.now();
    const result = await env.client.runTask(
      'template:default/controller-setup',
      controllerValues,
    );
    expectCompleted(result);
    firstRun = sentOperations();
    rows.push(`controller setup, first run: ${seconds(t0)} s`);

    const iam = new IAMClient(awsClientConfigFrom(env.aws.admin));
    try {
      const name = `backstage-lbc-${CLUSTER}`;
      const role = await iam.send(new GetRoleCommand({ RoleName: name }));
      expect(role.Role?.Path).toBe('/backstage/');
      expect(role.Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
        env.boundaryArn,
      );
      const attached = await iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: name }),
      );
      expect(attached.AttachedPolicies?.map(p => p.PolicyName)).toEqual([name]);
    } finally {
      iam.destroy();
    }

    env.proxy.reset();
    expectCompleted(
      await env.client.runTask(
        'template:default/controller-setup',
        controllerValues,
      ),
    );
    reRun = sentOperations();
  });

  it('renders and commits the classic endpoint (server-side dry run of every object)', async () => {
    const { values, repo } = await freshGitOpsRepo(env, CLUSTER, 'lp-expose');
    const t0 = Date.now();
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      values.expose,
    );
    expectCompleted(result);
    rows.push(`expose, first run: ${seconds(t0)} s`);
    expect(repo.files('main', 'gateways').length).toBeGreaterThan(0);
  });

  it('fails, naming the action, without any one IAM action the controller setup sends', async () => {
    const enforced = documentedActions('provisioner').filter(
      a =>
        a.startsWith('iam:') &&
        (firstRun.has(a.slice(4)) || reRun.has(a.slice(4))),
    );
    expect(enforced).toEqual(
      expect.arrayContaining(['iam:CreateRole', 'iam:CreatePolicy']),
    );
    const reRunOnly = enforced.filter(a => !firstRun.has(a.slice(4)));
    const firstRunToo = enforced.filter(a => firstRun.has(a.slice(4)));
    const failures: Array<[string, boolean, boolean]> = [];
    const check = async (action: string, values: Record<string, unknown>) => {
      await env.grantAws(policy('provisioner', action));
      const result = await env.client.runTask(
        'template:default/controller-setup',
        values,
      );
      const text = taskText(result);
      expectNoSecret(text);
      expectNoPrincipal(text);
      failures.push([
        action,
        result.status === 'failed',
        text.includes(action),
      ]);
    };
    const t0 = Date.now();
    // On the state the first run left: the calls of a re-run.
    for (const action of reRunOnly) await check(action, controllerValues);
    // On a fresh state (new IAM names; the association removed, so the plan
    // does not stop at "another role"): the calls of a first run.
    await deleteAssociations();
    for (const [i, action] of firstRunToo.entries())
      await check(action, {
        ...controllerValues,
        iamNamePrefix: `backstage-m${i}-`,
      });
    await env.grantAws(policy('provisioner'));
    rows.push(
      `controller setup, one IAM action less (${
        enforced.length
      } runs, ${seconds(t0)} s): ${enforced.join(', ')}`,
    );
    expect(failures).toEqual(
      [...reRunOnly, ...firstRunToo].map(a => [a, true, true]),
    );
  });

  it("names the refused IAM action, not the portal's AWS principal (moto's AccessDenied)", async () => {
    await deleteAssociations();
    const { values } = await freshGitOpsRepo(env, CLUSTER, 'lp-principal');
    await env.grantAws(policy('provisioner', 'iam:CreatePolicy'));
    try {
      const result = await env.client.runTask(
        'template:default/controller-setup',
        { ...values.controller, iamNamePrefix: 'backstage-principal-' },
      );
      expect(result.status).toBe('failed');
      const text = taskText(result);
      expect(text).toContain('not authorized to perform: iam:CreatePolicy');
      expectNoPrincipal(text);
      expectNoSecret(text);
    } finally {
      await env.grantAws(policy('provisioner'));
    }
  });

  it('fails, naming the action, without any one IAM action the controller setup sends to repair a drifted role or policy; with it, a re-run repairs', async () => {
    const name = `backstage-lbc-${CLUSTER}`;
    const policyArn = `arn:aws:iam::${env.values.ACCOUNT_ID}:policy/backstage/${name}`;
    const otherDocument = (sid: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: sid,
            Effect: 'Allow',
            Action: 'elasticloadbalancing:DescribeTags',
            Resource: '*',
          },
        ],
      });
    // Each drift, made as the admin, needs exactly the action named to repair.
    const drifts: Array<[string, (iam: IAMClient) => Promise<unknown>]> = [
      [
        'iam:UpdateAssumeRolePolicy',
        iam =>
          iam.send(
            new UpdateAssumeRolePolicyCommand({
              RoleName: name,
              PolicyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'pods.eks.amazonaws.com' },
                    Action: 'sts:AssumeRole',
                  },
                ],
              }),
            }),
          ),
      ],
      [
        'iam:PutRolePermissionsBoundary',
        iam =>
          iam.send(
            new DeleteRolePermissionsBoundaryCommand({ RoleName: name }),
          ),
      ],
      [
        'iam:TagRole',
        iam =>
          iam.send(
            new UntagRoleCommand({ RoleName: name, TagKeys: ['cost-center'] }),
          ),
      ],
      [
        'iam:CreatePolicyVersion',
        iam =>
          iam.send(
            new CreatePolicyVersionCommand({
              PolicyArn: policyArn,
              PolicyDocument: otherDocument('Drift'),
              SetAsDefault: true,
            }),
          ),
      ],
      [
        'iam:DeletePolicyVersion',
        async iam => {
          // IAM keeps 5 versions: a full set makes the repair prune one first.
          const { Versions } = await iam.send(
            new ListPolicyVersionsCommand({ PolicyArn: policyArn }),
          );
          for (let i = Versions?.length ?? 0; i < 5; i++)
            await iam.send(
              new CreatePolicyVersionCommand({
                PolicyArn: policyArn,
                PolicyDocument: otherDocument(`Drift${i}`),
                SetAsDefault: true,
              }),
            );
        },
      ],
    ];
    const iam = new IAMClient(awsClientConfigFrom(env.aws.admin));
    const results: Array<[string, boolean, boolean, boolean, boolean]> = [];
    const t0 = Date.now();
    try {
      for (const [action, drift] of drifts) {
        expect(documentedActions('provisioner')).toContain(action);
        await drift(iam);
        await env.grantAws(policy('provisioner', action));
        const refused = await env.client.runTask(
          'template:default/controller-setup',
          controllerValues,
        );
        const text = taskText(refused);
        expectNoSecret(text);
        await env.grantAws(policy('provisioner'));
        env.proxy.reset();
        const repaired = await env.client.runTask(
          'template:default/controller-setup',
          controllerValues,
        );
        results.push([
          action,
          refused.status === 'failed',
          text.includes(action),
          repaired.status === 'completed',
          sentOperations().has(action.slice(4)),
        ]);
      }
    } finally {
      iam.destroy();
    }
    rows.push(
      `controller setup, drift repair one IAM action less (${
        drifts.length
      } drifts, ${seconds(t0)} s): ${drifts.map(([a]) => a).join(', ')}`,
    );
    expect(results).toEqual(
      drifts.map(([action]) => [action, true, true, true, true]),
    );
  });

  it('fails, naming the verb and resource, without any one rule of the dry-run ClusterRole the classic endpoint uses', async () => {
    const documented = env.documentedRules('dry-run.yaml');
    // The classic endpoint renders no UDPRoute or TLSRoute: those rules are not exercised here.
    const used = new Set([
      'services',
      'gateways',
      'tcproutes',
      'loadbalancerconfigurations',
      'targetgroupconfigurations',
    ]);
    const cases = documented.flatMap(rule =>
      (rule.resources ?? [])
        .filter(resource => used.has(resource))
        .flatMap(resource => rule.verbs.map(verb => ({ resource, verb }))),
    );
    const failures: Array<[string, boolean, boolean]> = [];
    const t0 = Date.now();
    for (const { resource, verb } of cases) {
      await env.setRules(
        'dry-run.yaml',
        withoutGrant(documented, resource, verb),
      );
      const { values } = await freshGitOpsRepo(env, CLUSTER, 'lp-expose-less');
      const result = await env.client.runTask(
        'template:default/expose-tcp-endpoint',
        values.expose,
      );
      const text = taskText(result);
      expectNoSecret(text);
      failures.push([
        `${verb} ${resource}`,
        result.status === 'failed',
        text.includes(verb) && text.includes(resource),
      ]);
    }
    await env.setRules('dry-run.yaml', documented);
    rows.push(
      `expose, one RBAC rule less (${cases.length} runs, ${seconds(t0)} s)`,
    );
    expect(failures).toEqual(
      cases.map(c => [`${c.verb} ${c.resource}`, true, true]),
    );
  });
});

describe('the status API with exactly the status-reader policy and ClusterRole', () => {
  let gatewayName: string;
  const rows: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    await env.grantAws(policy('status-reader'));
    await env.setRules('dry-run.yaml', []);
    await env.setRules(
      'status-reader.yaml',
      env.documentedRules('status-reader.yaml'),
    );
    const kc = kubeConfigFor(PROFILE_V16);
    const awsConfig = awsClientConfigFrom(env.aws.admin);
    const elbv2 = new ElasticLoadBalancingV2Client(awsConfig);
    const ec2 = new EC2Client(awsConfig);
    cleanups.push(
      async () => elbv2.destroy(),
      async () => ec2.destroy(),
    );
    const controller = new FakeController({
      kc,
      elbv2,
      ec2,
      network: await createNetworkAt(env.aws.admin, CLUSTER),
      clusterName: CLUSTER,
      routeVersion: 'v1',
    });
    await ensureClassicGatewayClass(kc);
    gatewayName = uniqueName('lp');
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    await programClassicGateway(
      kc,
      controller,
      {
        namespace: GATEWAY_NAMESPACE,
        name: gatewayName,
        id: 'backend',
        ips: ['192.0.2.41', '192.0.2.42'],
      },
      object => cleanups.push(() => objects.delete(object)),
    );
  });

  afterAll(async () => {
    figures.push(...rows);
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  /** Our Gateway's shortcomings in one answer: errors, warnings, state, target health. */
  async function shortcomings(): Promise<string[]> {
    const res = await gatewayStatus();
    const ours = res.gateways.filter(g => g.gateway.name === gatewayName);
    return [
      ...res.errors.map(e => e.message),
      ...(ours.length === 1 ? [] : [`${ours.length} gateways named ours`]),
      ...ours.flatMap(g => [
        ...g.errors.map(e => e.message),
        ...g.warnings.map(w => JSON.stringify(w)),
        ...(g.state === 'programmed' ? [] : [`state ${g.state}`]),
        ...(g.events?.availability === 'read'
          ? []
          : [`events ${g.events?.availability}`]),
        ...g.listeners.flatMap(l =>
          l.targetGroups.flatMap(t => [
            ...t.errors.map(e => e.message),
            ...(t.health?.healthy === 2
              ? []
              : [`health ${JSON.stringify(t.health)}`]),
          ]),
        ),
      ]),
    ];
  }

  it('shows the Gateway programmed, with its listener and healthy targets, no error and no warning', async () => {
    const t0 = Date.now();
    expect(await shortcomings()).toEqual([]);
    rows.push(`status, all permissions: ${Date.now() - t0} ms`);
  });

  it.each([
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeTags',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
  ])('without %s says which action was refused', async action => {
    expect(documentedActions('status-reader')).toContain(action);
    await env.grantAws(policy('status-reader', action));
    try {
      const found = await shortcomings();
      expectNoSecret(found.join('\n'));
      expect({ action, found }).toEqual({
        action,
        found: expect.arrayContaining([expect.stringContaining(action)]),
      });
    } finally {
      await env.grantAws(policy('status-reader'));
    }
  });

  it('says which list is missing without any one list grant of the status reader ClusterRole', async () => {
    const documented = env.documentedRules('status-reader.yaml');
    // `get gateways` serves an entity that names its Gateways
    // (aws-gateway.io/gateways); the catalog's `backend` is found by its
    // kubernetes-id label, with a list. install-permissions.test.ts covers get.
    // Events are readable through either of two groups: the next tests.
    const cases = grantsOfVerb(documented, 'list');
    const t0 = Date.now();
    const failures: Array<[string, true | string[]]> = [];
    for (const resource of cases) {
      // A running watch would see the revocation only at its next list: the
      // watches go idle (no read since the last case) while the rules land.
      await Promise.all([
        env.setRules(
          'status-reader.yaml',
          withoutGrant(documented, resource, 'list'),
        ),
        env.untilWatchesIdle(),
      ]);
      const found = await shortcomings();
      expectNoSecret(found.join('\n'));
      failures.push([
        `list ${resource}`,
        found.some(m => m.includes('list') && m.includes(resource)) || found,
      ]);
    }
    await env.setRules('status-reader.yaml', documented);
    rows.push(
      `status, one RBAC list less (${cases.length} reads, ${seconds(t0)} s)`,
    );
    expect(failures).toEqual(cases.map(resource => [`list ${resource}`, true]));
  });

  it('without the watch grants, the first answer of a fresh cluster watch names each refused watch (events too) and is otherwise whole; with them, no note', async () => {
    const documented = env.documentedRules('status-reader.yaml');
    const resources = [...grantsOfVerb(documented, 'watch'), 'events'];
    const t0 = Date.now();
    await env.setRules(
      'status-reader.yaml',
      resources.reduce(
        (rules, resource) => withoutGrant(rules, resource, 'watch'),
        documented,
      ),
    );
    try {
      await env.untilWatchesIdle();
      // Answered from the first lists, before the watch requests that follow
      // them are refused: the answer still waits for their refusals.
      const unnamedIn = (notes: string[]) =>
        resources.filter(
          resource =>
            !notes.some(m => m.includes('watch') && m.includes(resource)),
        );
      const found = await shortcomings();
      expectNoSecret(found.join('\n'));
      const notes = found.filter(m => m.includes('may not watch'));
      const rest = found.filter(m => !notes.includes(m));
      expect({ unnamed: unnamedIn(notes), rest }).toEqual({
        unnamed: [],
        rest: [],
      });
      // One note for the cluster, naming no list: every list was allowed.
      expect(notes).toHaveLength(1);
      expect(notes[0]).not.toContain('may not list');
    } finally {
      await env.setRules('status-reader.yaml', documented);
    }
    await env.untilWatchesIdle();
    expect(await shortcomings()).toEqual([]);
    rows.push(
      `status, every watch grant less (${resources.length} resources, ${seconds(
        t0,
      )} s)`,
    );
  });

  it('moves the events watch to core v1 when events.k8s.io may be listed but not watched: the first answer names nothing', async () => {
    const documented = env.documentedRules('status-reader.yaml');
    const listOnly = withEventsListOnly(documented);
    const gatewayEvents = (res: EntityGatewaysResponse) =>
      res.gateways.find(g => g.gateway.name === gatewayName)?.events;
    try {
      await env.setRules('status-reader.yaml', listOnly);
      await env.untilWatchesIdle();
      // The first answer waits for the watches' answers: events.k8s.io's
      // refused watch moved on to core events, accepted, so nothing is named.
      const first = await gatewayStatus();
      expect(first.errors).toEqual([]);
      expect(gatewayEvents(first)).toMatchObject({
        availability: 'read',
        items: expect.arrayContaining([
          expect.objectContaining({ reason: 'SuccessfullyReconciled' }),
        ]),
      });
    } finally {
      await env.setRules('status-reader.yaml', documented);
    }
  });

  it('with events.k8s.io list-only and core events not readable, the first answer names the refused events.k8s.io watch once, its events read', async () => {
    const documented = env.documentedRules('status-reader.yaml');
    const listOnly = withEventsListOnly(
      withoutGroupGrant(documented, '', 'events'),
    );
    try {
      await env.setRules('status-reader.yaml', listOnly);
      await env.untilWatchesIdle();
      // Its watch refused, the events watch tries core events (refused too)
      // and comes back: the first answer still names the watch to grant.
      const first = await gatewayStatus();
      const notes = first.errors.map(e => e.message);
      expectNoSecret(notes.join('\n'));
      expect(notes).toEqual([
        expect.stringMatching(/may not watch .*events\.events\.k8s\.io/),
      ]);
      expect(notes[0]).not.toContain('may not list');
      expect(
        first.gateways.find(g => g.gateway.name === gatewayName)?.events,
      ).toMatchObject({ availability: 'read', api: 'events.k8s.io/v1' });
    } finally {
      await env.setRules('status-reader.yaml', documented);
    }
  });

  it.each([
    {
      refused: 'the gateways watch',
      rules: (documented: k8s.V1PolicyRule[]) =>
        withoutGrant(documented, 'gateways', 'watch'),
      named: /may not watch gateways\.gateway/,
    },
    {
      refused:
        'the events watch (events.k8s.io list-only, core events not readable)',
      rules: (documented: k8s.V1PolicyRule[]) =>
        withEventsListOnly(withoutGroupGrant(documented, '', 'events')),
      named: /may not watch events\.events\.k8s\.io/,
    },
  ])(
    'picks up $refused granted while the cluster is watched, without a restart: within 1.2 × retryMaxSeconds the note is gone and reads come from the watch',
    async ({ rules, named }) => {
      const documented = env.documentedRules('status-reader.yaml');
      const refusedNotes = async () =>
        (await gatewayStatus()).errors.map(e => e.message);
      try {
        await env.setRules('status-reader.yaml', rules(documented));
        await env.untilWatchesIdle();
        // Refused for several retries (reads keep the cluster watched): each
        // answer names it, none is served from the list alone.
        const until = Date.now() + 2.5 * WATCH_RETRY_MAX_SECONDS * 1000;
        while (Date.now() < until) {
          expect(await refusedNotes()).toEqual([expect.stringMatching(named)]);
        }
        await env.setRules('status-reader.yaml', documented);
        const granted = Date.now();
        const bound = 1.2 * WATCH_RETRY_MAX_SECONDS * 1000 + 1_000;
        let notes = await refusedNotes();
        while (notes.length && Date.now() - granted < bound)
          notes = await refusedNotes();
        expect({ notes, inBound: Date.now() - granted < bound }).toEqual({
          notes: [],
          inBound: true,
        });
        // From the watch cache: the next read asks the API server nothing.
        const logged = fs.statSync(env.portal.logFile).size;
        expect(await shortcomings()).toEqual([]);
        const proxyReads = fs
          .readFileSync(env.portal.logFile)
          .subarray(logged)
          .toString()
          .split('\n')
          .filter(l =>
            /GET \/api\/kubernetes\/proxy\/(?![^"]*watch=true)/.test(l),
          );
        expect(proxyReads).toEqual([]);
      } finally {
        await env.setRules('status-reader.yaml', documented);
      }
    },
  );

  it('reads events through either group alone; without both the status is whole and says events are not readable', async () => {
    const documented = env.documentedRules('status-reader.yaml');
    const eventsApi = async () =>
      (await gatewayStatus()).gateways.find(g => g.gateway.name === gatewayName)
        ?.events;
    try {
      await env.setRules(
        'status-reader.yaml',
        withoutGroupGrant(documented, 'events.k8s.io', 'events'),
      );
      await env.untilWatchesIdle();
      expect(await eventsApi()).toMatchObject({
        availability: 'read',
        api: 'v1',
      });
      await env.setRules(
        'status-reader.yaml',
        withoutGroupGrant(documented, '', 'events'),
      );
      await env.untilWatchesIdle();
      expect(await eventsApi()).toMatchObject({
        availability: 'read',
        api: 'events.k8s.io/v1',
        items: expect.arrayContaining([
          expect.objectContaining({ reason: 'SuccessfullyReconciled' }),
        ]),
      });
      await env.setRules(
        'status-reader.yaml',
        withoutGroupGrant(
          withoutGroupGrant(documented, '', 'events'),
          'events.k8s.io',
          'events',
        ),
      );
      await env.untilWatchesIdle();
      expect(await shortcomings()).toEqual(['events not-readable']);
    } finally {
      await env.setRules('status-reader.yaml', documented);
    }
  });
});

/** The resources `verb` is granted on, events left out (either of their two groups suffices). */
function grantsOfVerb(rules: k8s.V1PolicyRule[], verb: string): string[] {
  return [
    ...new Set(
      rules
        .filter(rule => rule.verbs.includes(verb))
        .flatMap(rule => rule.resources ?? [])
        .filter(resource => resource !== 'events'),
    ),
  ];
}

/** `rules` without `resource` in API group `group` (other groups' grants of it kept). */
function withoutGroupGrant(
  rules: k8s.V1PolicyRule[],
  group: string,
  resource: string,
): k8s.V1PolicyRule[] {
  return rules.flatMap(rule => {
    if (!rule.apiGroups?.includes(group) || !rule.resources?.includes(resource))
      return [rule];
    const others = rule.resources.filter(r => r !== resource);
    return others.length ? [{ ...rule, resources: others }] : [];
  });
}

/** `rules` with events.k8s.io events listed but not watched (core events as `rules` have them). */
function withEventsListOnly(rules: k8s.V1PolicyRule[]): k8s.V1PolicyRule[] {
  return [
    ...withoutGroupGrant(rules, 'events.k8s.io', 'events'),
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['list'] },
  ];
}

/** `rules` without `verb` on `resource` (the rest of each rule kept). */
function withoutGrant(
  rules: k8s.V1PolicyRule[],
  resource: string,
  verb: string,
): k8s.V1PolicyRule[] {
  return rules.flatMap(rule => {
    if (!rule.resources?.includes(resource)) return [rule];
    const others = rule.resources.filter(r => r !== resource);
    const verbs = rule.verbs.filter(v => v !== verb);
    return [
      ...(others.length ? [{ ...rule, resources: others }] : []),
      ...(verbs.length ? [{ ...rule, resources: [resource], verbs }] : []),
    ];
  });
}

/** Removes the controller's Pod Identity associations (as the admin; our emulator authorizes nothing). */
async function deleteAssociations(): Promise<void> {
  const eks = new EKSClient(awsClientConfigFrom(env.aws.admin));
  try {
    const { associations } = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: CLUSTER }),
    );
    for (const a of associations ?? [])
      await eks.send(
        new DeletePodIdentityAssociationCommand({
          clusterName: CLUSTER,
          associationId: a.associationId!,
        }),
      );
  } finally {
    eks.destroy();
  }
}
