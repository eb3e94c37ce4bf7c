/**
 * Safe self-service, provisioning side (issue 9 classes 3, 7 and the IAM parts
 * of 8; the TLS passthrough fix of issue 10), attacked as a user would:
 * through the real scaffolder REST API of the real backend, against moto +
 * the Pod Identity emulator, the git server and the kube-apiserver. Every AWS
 * request of the backend goes through a counting proxy, so "refused with zero
 * writes" is measured, not assumed.
 */
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import * as k8s from '@kubernetes/client-node';
import {
  decodeIamPolicyDocument,
  podIdentityTrustPolicy,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { awsClientConfig, awsPeer, kubeConfigFor, PROFILE_V16 } from '../peers';
import { TaskResult } from './support/scaffolderClient';
import {
  BareRepo,
  ensureBackendService,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';
import { freshGitOpsRepo } from './support/freshGitOpsRepo';
import { deleteApplied, serverSideApply } from './support/serverSideApply';
import { kubeSnapshot, oneStepTemplate } from './support/writeTracking';

let env: TemplatesPortal;
let repo: BareRepo;
let kc: k8s.KubeConfig;
let cluster: string;
let controllerValues: Record<string, unknown>;
let exposeValues: Record<string, unknown>;
let createdService = false;
let iam: IAMClient;
let eks: EKSClient;
const attacks: string[] = [];

const roleName = () => `backstage-lbc-${cluster}`;
const stepsWith = (result: TaskResult, status: string) => [
  ...new Set(
    result.events
      .filter(e => e.body.stepId && e.body.status === status)
      .map(e => e.body.stepId),
  ),
];
const errorText = (result: TaskResult) =>
  [
    ...result.log,
    result.events.find(e => e.type === 'completion')?.body.error?.message ?? '',
  ].join('\n');

beforeAll(async () => {
  env = await startTemplatesPortal('security-provisioning');
  expect(env.portal.startupErrors).toEqual([]);
  const profile =
    env.profiles.find(p => p.profile === PROFILE_V16) ?? env.profiles[0];
  cluster = profile.cluster;
  kc = kubeConfigFor(profile.profile);
  createdService = await ensureBackendService(kc);
  ({
    repo,
    values: { controller: controllerValues, expose: exposeValues },
  } = await freshGitOpsRepo(env, cluster, 'gitops-security'));
  controllerValues = { ...controllerValues, vpcId: env.vpcId };
  // The test's own clients go straight to the peer, not through the counting proxy.
  iam = new IAMClient(awsClientConfig());
  eks = new EKSClient(awsClientConfig());
}, 900_000);

afterAll(async () => {
  await removeBackendService(kc, createdService);
  iam?.destroy();
  eks?.destroy();
  await env?.stop();
  console.log(
    `Security (provisioning): ${
      attacks.length
    } attack cases refused with zero writes:\n  ${attacks.join('\n  ')}`,
  );
});

/** Runs a task that must fail; checks that nothing at all was written (AWS, git, cluster). */
async function refusedWithZeroWrites(
  name: string,
  template: 'controller-setup' | 'expose-tcp-endpoint',
  values: Record<string, unknown>,
  expected: { step: string; error: RegExp },
) {
  const kubeBefore = await kubeSnapshot(kc);
  const head = repo.head();
  env.proxy.reset();
  const result = await env.client.runTask(
    `template:default/${template}`,
    values,
  );
  expect(result.status).toBe('failed');
  expect(stepsWith(result, 'failed')).toEqual([expected.step]);
  expect(errorText(result)).toMatch(expected.error);
  expect(env.proxy.mutating()).toEqual([]);
  expect(repo.head()).toBe(head);
  expect(repo.branches()).toEqual(['main']);
  expect(await kubeSnapshot(kc)).toEqual(kubeBefore);
  attacks.push(
    `${name}: ${errorText(result).match(expected.error)![0].slice(0, 140)}`,
  );
  return result;
}

describe('source CIDRs are parsed, not matched as text', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'the whole IPv4 space in two halves',
      ['0.0.0.0/1', '128.0.0.0/1'],
      /together they cover every IPv4 address.*\[open-to-world\]/,
    ],
    [
      'the whole IPv6 space in two halves',
      ['::/1', '8000::/1'],
      /cover every (IPv4 and every )?IPv6 address.*\[open-to-world\]/,
    ],
    [
      '0.0.0.0/0 spelled with a leading-zero octet',
      ['0.0.0.000/0'],
      /sourceCidrs\[0\] "0\.0\.0\.000\/0" is not in canonical form.*\[cidr-not-canonical\]/,
    ],
    [
      'the IPv4-mapped IPv6 block (all of IPv4)',
      ['::ffff:0:0/96'],
      /write the IPv4 block "0\.0\.0\.0\/0" instead \[cidr-ipv4-mapped\]/,
    ],
    [
      'the IPv4-mapped block in dotted form',
      ['::ffff:0.0.0.0/96'],
      /\[cidr-ipv4-mapped\]/,
    ],
    [
      'a block with host bits set',
      ['10.0.0.1/8'],
      /"10\.0\.0\.1\/8" has host bits set; the block is "10\.0\.0\.0\/8" \[cidr-host-bits\]/,
    ],
    ['::/0 with host bits', ['::1/0'], /\[cidr-host-bits\]/],
    [
      'a block wider than the minimum prefix',
      ['0.0.0.0/4'],
      /IPv4 blocks need a prefix of at least \/8 .*minSourceRangePrefixLength\.ipv4\) \[cidr-prefix-too-short\]/,
    ],
    [
      'upper-case IPv6',
      ['2001:DB8::/32'],
      /write it as "2001:db8::\/32" \[cidr-not-canonical\]/,
    ],
  ];
  it.each(cases)(
    'expose-tcp-endpoint refuses %s with zero writes',
    async (name, sourceCidrs, error) => {
      await refusedWithZeroWrites(
        `expose: ${name}`,
        'expose-tcp-endpoint',
        { ...exposeValues, sourceCidrs },
        { step: 'render', error },
      );
    },
  );

  it('controller-setup refuses an internet-facing default open to the world in two halves before any AWS call', async () => {
    await refusedWithZeroWrites(
      'controller-setup: default open to the world in two halves',
      'controller-setup',
      {
        ...controllerValues,
        scheme: 'internet-facing',
        sourceCidrs: ['0.0.0.0/1', '128.0.0.0/1'],
      },
      {
        step: 'render',
        error: /GatewayClass's internet-facing default .*\[open-to-world\]/,
      },
    );
  });
});

describe('gateway classes come from an allow-list', () => {
  it('controller-setup refuses a GatewayClass configuration does not list, before any AWS call', async () => {
    await refusedWithZeroWrites(
      'controller-setup: gateway class not allowed',
      'controller-setup',
      { ...controllerValues, gatewayClassName: 'rogue-nlb' },
      {
        step: 'render',
        error:
          /gatewayClassName "rogue-nlb" is not allowed \(configuration allows aws-nlb: .*allowedGatewayClassNames\) \[gateway-class-not-allowed\]/,
      },
    );
  });

  it('endpoint:render refuses a GatewayClass configuration does not list', async () => {
    env.proxy.reset();
    const { status, body } = await env.client.dryRun(
      oneStepTemplate('aws-gateway:endpoint:render', {
        name: 'aws-tcp-gateway',
        namespace: 'default',
        gatewayClassName: 'someone-elses-class',
        listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 8080 }],
        routes: [
          {
            name: 'tcp-backend-aws',
            listener: 'tcp-app',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
        scheme: 'internal',
        controllerProfile: 'lbc-v3.5',
      }),
      {},
    );
    expect(status).toBe(400);
    expect(body.error.message).toMatch(
      /gatewayClassName "someone-elses-class" is not allowed .*\[gateway-class-not-allowed\]/,
    );
    expect(env.proxy.calls).toEqual([]);
    attacks.push(
      `endpoint:render: gateway class not allowed: ${
        body.error.message.split('\n')[1]
      }`,
    );
  });
});

describe('an admin-equivalent policy document is refused', () => {
  const documents: Array<[string, object, RegExp]> = [
    [
      'Action "*"',
      { Effect: 'Allow', Action: '*', Resource: '*' },
      /\[policy-allow-all-actions\]/,
    ],
    [
      'iam:* on one role',
      {
        Effect: 'Allow',
        Action: 'iam:*',
        Resource: 'arn:aws:iam::123456789012:role/x',
      },
      /\[policy-iam-wildcard\]/,
    ],
    [
      'iam:PassRole on every resource',
      {
        Effect: 'Allow',
        Action: ['ec2:DescribeVpcs', 'iam:PassRole'],
        Resource: '*',
      },
      /\[policy-privilege-escalation\]/,
    ],
    [
      'Allow with NotAction',
      { Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: '*' },
      /\[policy-allow-not-action\]/,
    ],
  ];
  it.each(documents)(
    'ensure-policy refuses %s with zero writes',
    async (name, statement, rule) => {
      env.proxy.reset();
      const { status, body } = await env.client.dryRun(
        oneStepTemplate('aws-gateway:iam:ensure-policy', {
          accountId: awsPeer().accountId,
          region: awsPeer().region,
          name: 'backstage-escalate',
          document: { Version: '2012-10-17', Statement: [statement] },
        }),
        {},
      );
      expect(status).toBe(403);
      expect(body.error.message).toMatch(
        /^document: the policy is admin-equivalent, which configuration does not allow/,
      );
      expect(body.error.message).toMatch(rule);
      expect(env.proxy.calls).toEqual([]);
      await expect(
        iam.send(
          new GetPolicyCommand({
            PolicyArn: `arn:aws:iam::${
              awsPeer().accountId
            }:policy/backstage/backstage-escalate`,
          }),
        ),
      ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
      attacks.push(
        `ensure-policy: ${name}: ${body.error.message.split('\n')[1]}`,
      );
    },
  );
});

describe('controller setup plans before it applies', () => {
  it('refuses an existing role it does not manage at the read-only plan step: zero AWS writes, no policy left behind', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName(),
        Path: '/backstage/',
        AssumeRolePolicyDocument: JSON.stringify(podIdentityTrustPolicy()),
      }),
    );
    try {
      const result = await refusedWithZeroWrites(
        'controller-setup: existing unmanaged role',
        'controller-setup',
        controllerValues,
        {
          step: 'plan',
          error:
            /roleName: role \S+ exists and was not created by this plugin \(no managed-by tag\)/,
        },
      );
      expect(stepsWith(result, 'processing')).not.toContain('policy');
      await expect(
        iam.send(
          new GetPolicyCommand({
            PolicyArn: `arn:aws:iam::${
              awsPeer().accountId
            }:policy/backstage/${roleName()}`,
          }),
        ),
      ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    } finally {
      await iam.send(new DeleteRoleCommand({ RoleName: roleName() }));
    }
  });

  it('refuses an association that uses another role at the plan step: zero AWS writes', async () => {
    const other = await iam.send(
      new CreateRoleCommand({
        RoleName: 'backstage-someone-else',
        Path: '/backstage/',
        AssumeRolePolicyDocument: JSON.stringify(podIdentityTrustPolicy()),
      }),
    );
    const association = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: cluster,
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
        roleArn: other.Role!.Arn!,
      }),
    );
    try {
      await refusedWithZeroWrites(
        'controller-setup: association to another role',
        'controller-setup',
        controllerValues,
        {
          step: 'plan',
          error:
            /roleArn: the Pod Identity association \S+ for kube-system\/aws-load-balancer-controller in cluster \S+ uses role \S+backstage-someone-else, not the requested/,
        },
      );
      await expect(
        iam.send(new GetRoleCommand({ RoleName: roleName() })),
      ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    } finally {
      await eks.send(
        new DeletePodIdentityAssociationCommand({
          clusterName: cluster,
          associationId: association.association!.associationId!,
        }),
      );
      await iam.send(
        new DeleteRoleCommand({ RoleName: 'backstage-someone-else' }),
      );
    }
  });

  it('prints the plan, then creates the role with trust conditions for the account, cluster, namespace and service account', async () => {
    env.proxy.reset();
    const result = await env.client.runTask(
      'template:default/controller-setup',
      controllerValues,
    );
    if (result.status !== 'completed')
      throw new Error(
        `task ${result.status}:\n${result.log.slice(-15).join('\n')}`,
      );
    expect(env.proxy.mutating().map(c => c.operation)).toEqual([
      'CreatePolicy',
      'CreateRole',
      'AttachRolePolicy',
      `POST /clusters/${cluster}/pod-identity-associations`,
    ]);
    const plan = result.log.find(l => l.includes('Plan (read-only'));
    expect(plan).toContain(
      `- IAM role: arn:aws:iam::${
        awsPeer().accountId
      }:role/backstage/${roleName()}: CreateRole, AttachRolePolicy`,
    );
    expect(plan).toContain(
      '- Pod Identity association: create for kube-system/aws-load-balancer-controller',
    );
    // Read back from moto: the trust policy as AWS documents it for EKS Pod Identity.
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName() })))
      .Role!;
    expect(
      decodeIamPolicyDocument(role.AssumeRolePolicyDocument ?? ''),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowEksPodIdentity',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': awsPeer().accountId,
              'aws:RequestTag/eks-cluster-name': cluster,
              'aws:RequestTag/kubernetes-namespace': 'kube-system',
              'aws:RequestTag/kubernetes-service-account':
                'aws-load-balancer-controller',
            },
          },
        },
      ],
    });
    expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      env.boundaryArn,
    );
  });
});

describe('TLS passthrough that works on real AWS', () => {
  const applied: k8s.KubernetesObject[] = [];
  afterAll(() => deleteApplied(kc, applied));

  it('renders protocol TCP for the Service behind a passthrough listener, and the kube-apiserver accepts the manifests', async () => {
    const values = {
      ...exposeValues,
      gatewayName: 'tls-gateway',
      listenerName: 'tls-db',
      listenerPort: 8443,
      protocol: 'TLS',
      tlsHostname: 'db.example.com',
      routeName: 'tls-backend',
    };
    const result = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      values,
    );
    if (result.status !== 'completed')
      throw new Error(
        `task ${result.status}:\n${result.log.slice(-15).join('\n')}`,
      );
    expect(result.output.text[0].content).toContain(
      'server-side dry run passed',
    );
    const dir = 'gateways/default/tls-gateway';
    const read = (file: string) =>
      yaml.parse(repo.show('main', `${dir}/${file}`));
    const gateway = read('gateway-tls-gateway.yaml');
    expect(gateway.spec.listeners[0]).toMatchObject({
      protocol: 'TLS',
      port: 8443,
      tls: { mode: 'Passthrough' },
    });
    const tgc = read('targetgroupconfiguration-backend.yaml');
    expect(tgc.spec.defaultConfiguration).toMatchObject({
      targetType: 'ip',
      protocol: 'TCP',
    });

    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    for (const file of repo.files('main', dir)) {
      const manifest = yaml.parse(
        repo.show('main', file),
      ) as k8s.KubernetesObject & { spec: object };
      await serverSideApply(
        objects,
        manifest,
        'security-provisioning',
        applied,
      );
    }
    const stored = (await objects.read({
      apiVersion: tgc.apiVersion,
      kind: 'TargetGroupConfiguration',
      metadata: { name: 'backend', namespace: 'default' },
    })) as any;
    expect(stored.spec.defaultConfiguration.protocol).toBe('TCP');
    expect(applied.map(a => a.kind).sort()).toEqual([
      'Gateway',
      'LoadBalancerConfiguration',
      'TLSRoute',
      'TargetGroupConfiguration',
    ]);
  });

  it('refuses a Service behind both a TLS passthrough listener and a UDP listener', async () => {
    const { status, body } = await env.client.dryRun(
      oneStepTemplate('aws-gateway:endpoint:render', {
        name: 'tls-udp',
        namespace: 'default',
        listeners: [
          {
            name: 'tls',
            protocol: 'TLS',
            port: 9443,
            hostname: 'db.example.com',
          },
          { name: 'udp', protocol: 'UDP', port: 9443 },
        ],
        routes: [
          {
            name: 'tls',
            listener: 'tls',
            backends: [{ service: 'backend', port: 3000 }],
          },
          {
            name: 'udp',
            listener: 'udp',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
        scheme: 'internal',
        controllerProfile: 'lbc-v3.5',
      }),
      {},
    );
    expect(status).toBe(400);
    expect(body.error.message).toMatch(
      /Service backend is behind a TLS listener and a UDP listener.*\[tls-passthrough-udp-service\]/,
    );
    attacks.push(
      `endpoint:render: TLS passthrough and UDP on one Service: ${body.error.message
        .split('\n')[1]
        .slice(0, 120)}`,
    );
  });
});

it('counts its attack cases', () => {
  // 9 CIDR spellings + 1 controller default + 2 gateway classes + 4 policy documents + 2 plan refusals + 1 TLS/UDP.
  expect(attacks).toHaveLength(19);
});
