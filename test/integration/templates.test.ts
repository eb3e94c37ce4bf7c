/**
 * End to end: both software templates run through the real scaffolder REST
 * API of the real backend (packages/backend with app-config.yaml plus the
 * peers overlay), against moto + the Pod Identity emulator, the git server
 * and one kube-apiserver per CRD profile. Every AWS request of the backend
 * goes through a counting proxy, so first runs and re-runs are measured.
 */
import {
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import fs from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import { decodeIamPolicyDocument } from '@gateway-portal/plugin-aws-gateway-node';
import {
  awsPeer,
  createBareRepo,
  gitPeer,
  kubeConfigFor,
  PROFILE_V13,
  PROFILE_V16,
  referencePath,
  uniqueName,
} from '../peers';
import { TaskResult } from './support/scaffolderClient';
import {
  BareRepo,
  ensureBackendService,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
  templateValues,
} from './support/templatesPortal';
import { deleteApplied, serverSideApply } from './support/serverSideApply';

const CONTROLLER_VERSION: Record<string, string> = {
  [PROFILE_V16]: 'v3.5.0',
  [PROFILE_V13]: 'v2.17.1',
};
const ROUTE_API_VERSION: Record<string, string> = {
  [PROFILE_V16]: 'gateway.networking.k8s.io/v1',
  [PROFILE_V13]: 'gateway.networking.k8s.io/v1alpha2',
};
const LBC_API_VERSION: Record<string, string> = {
  [PROFILE_V16]: 'gateway.k8s.aws/v1',
  [PROFILE_V13]: 'gateway.k8s.aws/v1beta1',
};

let env: TemplatesPortal;
let iam: IAMClient;
let eks: EKSClient;
const figures: string[] = [];
const started = Date.now();

function expectCompleted(result: TaskResult) {
  if (result.status !== 'completed') {
    throw new Error(
      `task ${result.id} ${result.status}:\n${result.log
        .slice(-15)
        .join('\n')}`,
    );
  }
}

const decode = (document: string | undefined): any =>
  decodeIamPolicyDocument(document ?? '');

beforeAll(async () => {
  env = await startTemplatesPortal('templates');
  iam = new IAMClient({ ...awsClientConfigDirect() });
  eks = new EKSClient({ ...awsClientConfigDirect() });
  expect(env.portal.startupErrors).toEqual([]);
}, 900_000);

afterAll(async () => {
  iam?.destroy();
  eks?.destroy();
  await env?.stop();
  console.log(
    [
      `Templates end to end (${Math.round(
        (Date.now() - started) / 1000,
      )} s in all, portal start included):`,
      ...figures,
    ].join('\n  '),
  );
});

/** The test's own AWS clients bypass the counting proxy. */
function awsClientConfigDirect() {
  const aws = awsPeer();
  return {
    endpoint: aws.endpoint,
    region: aws.region,
    credentials: {
      accessKeyId: aws.accessKeyId,
      secretAccessKey: aws.secretAccessKey,
    },
    // The test's own verification reads: a keep-alive socket the peer closed
    // while idle ("socket hang up") is retried, as any AWS client does.
    maxAttempts: 3,
  };
}

describe.each([PROFILE_V16, PROFILE_V13])('both templates on %s', profile => {
  let cluster: string;
  let repo: BareRepo;
  let repoUrl: string;
  let kc: k8s.KubeConfig;
  let createdService = false;
  const applied: k8s.KubernetesObject[] = [];
  const version = CONTROLLER_VERSION[profile];
  const controllerPath = () =>
    `clusters/${cluster}/aws-load-balancer-controller`;
  const gatewayPath = 'gateways/default/aws-tcp-gateway';
  let controllerValues: Record<string, unknown>;
  let exposeValues: Record<string, unknown>;
  let firstRun: {
    controller: number;
    expose: number;
    controllerMs: number;
    exposeMs: number;
  };

  beforeAll(async () => {
    const entry = env.profiles.find(p => p.profile === profile);
    if (!entry)
      throw new Error(`profile ${profile} is not running; set PEERS_PROFILES`);
    cluster = entry.cluster;
    const name = uniqueName(`gitops-${cluster}`);
    repoUrl = createBareRepo(name, { 'README.md': '# GitOps\n' });
    repo = new BareRepo(name);
    kc = kubeConfigFor(profile);
    const values = await templateValues(env, cluster, repoUrl);
    controllerValues = {
      ...values.controller,
      controllerVersion: version,
      vpcId: env.vpcId,
    };
    exposeValues = values.expose;
  });

  afterAll(async () => {
    await deleteApplied(kc, applied);
    await removeBackendService(kc, createdService);
  });

  it('controller-setup: IAM policy, Pod Identity role and association in AWS, controller files committed', async () => {
    const { accountId } = awsPeer();
    const headBefore = repo.head();
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/controller-setup',
      controllerValues,
    );
    expectCompleted(result);
    const mutating = env.proxy.mutating();
    expect(mutating.map(c => c.operation)).toEqual([
      'CreatePolicy',
      'CreateRole',
      'AttachRolePolicy',
      `POST /clusters/${cluster}/pod-identity-associations`,
    ]);
    expect(mutating.every(c => c.status === 200)).toBe(true);
    firstRun = {
      controller: mutating.length,
      expose: 0,
      controllerMs: result.durationMs,
      exposeMs: 0,
    };

    // IAM policy: the controller's published document for this version, under the configured path.
    const name = `backstage-lbc-${cluster}`;
    const policyArn = `arn:aws:iam::${accountId}:policy/backstage/${name}`;
    const policy = (
      await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))
    ).Policy!;
    expect(policy.Path).toBe('/backstage/');
    const version1 = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: policyArn,
        VersionId: policy.DefaultVersionId,
      }),
    );
    expect(decode(version1.PolicyVersion!.Document)).toEqual(
      JSON.parse(
        fs.readFileSync(
          referencePath(`lbc-${version}-iam_policy.json`),
          'utf8',
        ),
      ),
    );

    // Role: Pod Identity trust, path, boundary and tags from configuration, the policy attached.
    const role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
    const roleArn = `arn:aws:iam::${accountId}:role/backstage/${name}`;
    expect(role.Arn).toBe(roleArn);
    expect(role.Path).toBe('/backstage/');
    expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      env.boundaryArn,
    );
    expect(decode(role.AssumeRolePolicyDocument).Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession']),
      }),
    ]);
    expect(role.Tags).toEqual(
      expect.arrayContaining([{ Key: 'cost-center', Value: 'platform' }]),
    );
    const attached = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: name }),
    );
    expect(attached.AttachedPolicies?.map(p => p.PolicyArn)).toEqual([
      policyArn,
    ]);

    // Association: kube-system/aws-load-balancer-controller → the role.
    const associations = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: cluster }),
    );
    expect(associations.associations).toHaveLength(1);
    const association = await eks.send(
      new DescribePodIdentityAssociationCommand({
        clusterName: cluster,
        associationId: associations.associations![0].associationId,
      }),
    );
    expect(association.association).toMatchObject({
      namespace: 'kube-system',
      serviceAccount: 'aws-load-balancer-controller',
      roleArn,
    });

    // The commit: exactly the three controller files, on main, one commit on top of the previous head.
    const head = repo.head();
    expect(head).not.toBe(headBefore);
    expect(repo.commitCount()).toBe(2);
    expect(repo.files('main', 'clusters')).toEqual(
      [
        'aws-load-balancer-controller-values.yaml',
        'gatewayclass-aws-nlb.yaml',
        'loadbalancerconfiguration-aws-nlb-defaults.yaml',
      ].map(f => `${controllerPath()}/${f}`),
    );
    const values = yaml.parse(
      repo.show(
        'main',
        `${controllerPath()}/aws-load-balancer-controller-values.yaml`,
      ),
    );
    expect(values).toEqual({
      clusterName: cluster,
      region: awsPeer().region,
      vpcId: env.vpcId,
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      controllerConfig: {
        featureGates: { NLBGatewayAPI: true, ALBGatewayAPI: false },
      },
    });
    const gatewayClass = yaml.parse(
      repo.show('main', `${controllerPath()}/gatewayclass-aws-nlb.yaml`),
    );
    expect(gatewayClass.spec.parametersRef).toEqual({
      group: 'gateway.k8s.aws',
      kind: 'LoadBalancerConfiguration',
      name: 'aws-nlb-defaults',
      namespace: 'kube-system',
    });
    const lbc = yaml.parse(
      repo.show(
        'main',
        `${controllerPath()}/loadbalancerconfiguration-aws-nlb-defaults.yaml`,
      ),
    );
    expect(lbc.apiVersion).toBe(LBC_API_VERSION[profile]);
    expect(lbc.spec).toEqual({ scheme: 'internal' });

    // Output links: the role in the console and the commit.
    expect(result.output.links).toEqual([
      {
        title: 'IAM role (AWS console)',
        url: `https://console.aws.amazon.com/iam/home#/roles/details/${name}`,
      },
      { title: 'Commit', url: expect.stringContaining(head) },
    ]);
    expect(result.output.text[0].content).toContain(policyArn);
    expect(result.output.text[1].content).toContain(
      profile === PROFILE_V16
        ? 'Gateway API v1.6.0 standard channel'
        : 'Gateway API v1.3.0 experimental channel',
    );
  });

  it('expose-tcp-endpoint with the form defaults commits the classic example, touching no AWS', async () => {
    createdService = await ensureBackendService(kc);
    const headBefore = repo.head();
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      exposeValues,
    );
    expectCompleted(result);
    firstRun.expose = env.proxy.mutating().length;
    firstRun.exposeMs = result.durationMs;
    expect(env.proxy.calls).toEqual([]);

    expect(repo.head()).not.toBe(headBefore);
    expect(repo.files('main', 'gateways')).toEqual(
      [
        'gateway-aws-tcp-gateway.yaml',
        'loadbalancerconfiguration-aws-tcp-gateway.yaml',
        'targetgroupconfiguration-backend.yaml',
        'tcproute-tcp-backend-aws.yaml',
      ].map(f => `${gatewayPath}/${f}`),
    );
    const read = (f: string) =>
      yaml.parse(repo.show('main', `${gatewayPath}/${f}`));
    const gateway = read('gateway-aws-tcp-gateway.yaml');
    expect(gateway.metadata).toMatchObject({
      name: 'aws-tcp-gateway',
      namespace: 'default',
      labels: { 'backstage.io/kubernetes-id': 'backend' },
    });
    expect(gateway.spec.gatewayClassName).toBe('aws-nlb');
    expect(gateway.spec.listeners).toEqual([
      expect.objectContaining({ name: 'tcp-app', protocol: 'TCP', port: 8080 }),
    ]);
    expect(gateway.spec.listeners[0].hostname).toBeUndefined();
    const route = read('tcproute-tcp-backend-aws.yaml');
    expect(route.apiVersion).toBe(ROUTE_API_VERSION[profile]);
    expect(route.spec.parentRefs).toEqual([
      expect.objectContaining({
        name: 'aws-tcp-gateway',
        sectionName: 'tcp-app',
      }),
    ]);
    expect(route.spec.rules).toEqual([
      {
        backendRefs: [
          { group: '', kind: 'Service', name: 'backend', port: 3000 },
        ],
      },
    ]);
    const lbc = read('loadbalancerconfiguration-aws-tcp-gateway.yaml');
    expect(lbc.apiVersion).toBe(LBC_API_VERSION[profile]);
    expect(lbc.spec).toMatchObject({
      scheme: 'internet-facing',
      sourceRanges: exposeValues.sourceCidrs,
    });
    const tgc = read('targetgroupconfiguration-backend.yaml');
    expect(tgc.spec.targetReference).toMatchObject({
      kind: 'Service',
      name: 'backend',
    });
    expect(tgc.spec.defaultConfiguration.targetType).toBe('ip');
    for (const f of repo.files('main', 'gateways')) {
      expect(
        yaml.parse(repo.show('main', f)).metadata.labels[
          'backstage.io/kubernetes-id'
        ],
      ).toBe('backend');
    }

    expect(result.output.links).toEqual([
      { title: 'Commit on main', url: expect.stringContaining(repo.head()) },
      {
        title: 'Gateways card of the component',
        icon: 'catalog',
        url: '/catalog/default/component/backend',
      },
    ]);
    // The output lists every committed repository path.
    for (const f of repo.files('main', 'gateways')) {
      expect(result.output.text[0].content).toContain(`- \`${f}\``);
    }
    expect(result.output.text[0].content).toContain(
      `Gateway \`${cluster}/default/aws-tcp-gateway\``,
    );
    expect(result.output.text[0].content).toContain(
      'server-side dry run passed',
    );
    expect(result.output.text[1].content).toMatch(/^Nothing else to add/);
    expect(result.output.text[1].content).toContain(
      'backstage.io/kubernetes-id=backend',
    );
  });

  it('the API server accepts exactly the committed manifests (server-side apply)', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const files = [
      ...repo.files('main', 'clusters'),
      ...repo.files('main', 'gateways'),
    ].filter(f => !f.endsWith('-values.yaml'));
    expect(files).toHaveLength(6);
    for (const file of files) {
      const manifest = yaml.parse(
        repo.show('main', file),
      ) as k8s.KubernetesObject & { spec: unknown };
      const result = await serverSideApply(
        objects,
        manifest,
        'e2e-templates',
        applied,
      );
      const stored = (await objects.read({
        apiVersion: manifest.apiVersion,
        kind: manifest.kind,
        metadata: {
          name: manifest.metadata!.name!,
          namespace: manifest.metadata!.namespace,
        },
      })) as any;
      expect(stored.metadata.uid).toBe(result.metadata?.uid);
      expect(stored.apiVersion).toBe(manifest.apiVersion);
      expect(stored.spec).toMatchObject(manifest.spec as object);
    }
    figures.push(
      `${profile}: applied ${
        files.length
      } committed manifests to kube-apiserver (${applied
        .map(a => a.kind)
        .join(', ')})`,
    );
  });

  it('re-running both templates makes zero mutating AWS calls and no new commit', async () => {
    const head = repo.head();
    const commitsAfterFirstRuns = repo.commitCount();
    expect(commitsAfterFirstRuns).toBe(3); // the initial commit + one per template
    env.proxy.reset();
    const controller = await env.client.runTask(
      'template:default/controller-setup',
      controllerValues,
    );
    expectCompleted(controller);
    const controllerCalls = env.proxy.calls.length;
    const controllerMutating = env.proxy.mutating().length;
    expect(env.proxy.mutating()).toEqual([]);
    expect(controllerCalls).toBeGreaterThan(0); // it did look
    expect(controller.output.text[0].content).toMatch(
      /changed: false\)[\s\S]*changed: false\)[\s\S]*changed: false\)[\s\S]*changed: false\)/,
    );

    env.proxy.reset();
    const expose = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      exposeValues,
    );
    expectCompleted(expose);
    const exposeMutating = env.proxy.mutating().length;
    expect(exposeMutating).toBe(0);
    expect(repo.head()).toBe(head);
    expect(repo.branches()).toEqual(['main']);
    expect(expose.output.text[0].content).toContain('(changed: false)');

    figures.push(
      `${profile}: mutating AWS calls controller-setup first run ${
        firstRun.controller
      } (${(firstRun.controllerMs / 1000).toFixed(1)} s), ` +
        `re-run ${controllerMutating} of ${controllerCalls} calls (${(
          controller.durationMs / 1000
        ).toFixed(1)} s); ` +
        `expose-tcp-endpoint first run ${firstRun.expose} (${(
          firstRun.exposeMs / 1000
        ).toFixed(1)} s), re-run ${exposeMutating} (${(
          expose.durationMs / 1000
        ).toFixed(1)} s); ` +
        `commits: first runs ${commitsAfterFirstRuns - 1}, re-runs ${
          repo.commitCount() - commitsAfterFirstRuns
        }`,
    );
  });

  it('expose-tcp-endpoint in mode pull-request pushes a review branch and opens one pull request, reused by a re-run', async () => {
    createdService = (await ensureBackendService(kc)) || createdService;
    const prName = `platform/${uniqueName(`gitops-pr-${cluster}`)}`;
    const prRepo = new BareRepo(prName);
    createBareRepo(prName, { 'README.md': '# GitOps\n' });
    // The repository as RepoUrlPicker gives it (host?owner=…&repo=…), with no
    // user token: the steps' ${{ secrets.USER_OAUTH_TOKEN }} renders empty and
    // the portal's Gitea integration pushes and opens the pull request.
    const [owner, repoName] = prName.split('/');
    const values = {
      ...exposeValues,
      repoUrl: `${new URL(gitPeer().baseUrl).host}?${new URLSearchParams({
        owner,
        repo: repoName,
      })}`,
      mode: 'pull-request',
    };
    const branch = 'aws-gateway/default-aws-tcp-gateway';
    const pullUrl = `${gitPeer().baseUrl}${prName}/pulls/1`;
    const listPulls = async () => {
      const { baseUrl, user, password } = gitPeer();
      const res = await fetch(
        `${baseUrl}api/v1/repos/${prName}/pulls?state=all`,
        {
          headers: {
            authorization: `Basic ${Buffer.from(`${user}:${password}`).toString(
              'base64',
            )}`,
          },
        },
      );
      return (await res.json()) as any[];
    };

    const first = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      values,
    );
    expectCompleted(first);
    expect(first.output.links[0]).toEqual({
      title: 'Pull request #1 into main',
      url: pullUrl,
    });
    expect(first.output.text[0].content).toContain(
      `Pull request #1 into \`main\`: ${pullUrl}.`,
    );
    expect(prRepo.branches()).toEqual([branch, 'main']);
    expect(prRepo.commitCount()).toBe(1);
    expect(prRepo.files(branch, 'gateways')).toHaveLength(4);
    expect(await listPulls()).toEqual([
      expect.objectContaining({
        number: 1,
        state: 'open',
        head: expect.objectContaining({ ref: branch }),
        base: expect.objectContaining({ ref: 'main' }),
      }),
    ]);
    const branchHead = prRepo.head(branch);

    const again = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      values,
    );
    expectCompleted(again);
    expect(again.output.links[0]).toEqual({
      title: 'Pull request #1 into main',
      url: pullUrl,
    });
    expect(again.output.text[0].content).toContain('(changed: false)');
    expect(prRepo.head(branch)).toBe(branchHead);
    expect(await listPulls()).toHaveLength(1);
  });

  it('a dry run of expose-tcp-endpoint returns the manifests and the would-be commit, and writes nothing', async () => {
    const head = repo.head();
    const template = await env.client.getEntity(
      'template',
      'default',
      'expose-tcp-endpoint',
    );
    env.proxy.reset();
    const { status, body } = await env.client.dryRun(template, {
      ...exposeValues,
      gatewayName: 'dry-run-gateway',
      listenerPort: 9090,
      mode: 'review-branch',
    });
    expect(status).toBe(200);
    const failed = body.log.filter((l: any) => l.body.status === 'failed');
    expect(failed).toEqual([]);
    const files = body.directoryContents.map((f: any) => f.path).sort();
    expect(files).toEqual([
      'manifests/gateway-dry-run-gateway.yaml',
      'manifests/loadbalancerconfiguration-dry-run-gateway.yaml',
      'manifests/targetgroupconfiguration-backend.yaml',
      'manifests/tcproute-tcp-backend-aws.yaml',
    ]);
    const gateway = yaml.parse(
      Buffer.from(
        body.directoryContents.find(
          (f: any) => f.path === 'manifests/gateway-dry-run-gateway.yaml',
        ).base64Content,
        'base64',
      ).toString(),
    );
    expect(gateway.spec.listeners[0]).toMatchObject({
      name: 'tcp-app',
      protocol: 'TCP',
      port: 9090,
    });
    expect(body.output.links[0]).toEqual({
      title: 'Commit on aws-gateway/default-dry-run-gateway',
      url: expect.stringMatching(/[0-9a-f]{40}/),
    });
    expect(body.output.text[0].content).toContain('(changed: true)');
    // Nothing written: no commit, no branch, no AWS call, no kube object.
    expect(repo.head()).toBe(head);
    expect(repo.branches()).toEqual(['main']);
    expect(env.proxy.calls).toEqual([]);
    const gateways = await k8s.KubernetesObjectApi.makeApiClient(kc).list(
      'gateway.networking.k8s.io/v1',
      'Gateway',
      'default',
    );
    expect(gateways.items.map(g => g.metadata?.name)).not.toContain(
      'dry-run-gateway',
    );
  });
});
