/**
 * Bad inputs across the provisioning actions, through the real scaffolder
 * REST API of the real backend: the two software templates as real tasks
 * (values a user can type into the create form), and single-step templates
 * through the dry-run endpoint for inputs the templates never pass. Each
 * case must fail with an error that names the field and the rule (template
 * cases with a bad GitOps repository in the first step, the read-only
 * aws-gateway:gitops:check, before any other step starts), and write
 * nothing anywhere: no mutating AWS call (counted by a proxy in front of the
 * AWS peer), no commit or branch in the GitOps repository, no Kubernetes
 * object.
 */
import * as k8s from '@kubernetes/client-node';
import { awsPeer, gitPeer, kubeConfigFor, PROFILE_V16 } from '../peers';
import {
  BareRepo,
  ensureBackendService,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';
import { freshGitOpsRepo } from './support/freshGitOpsRepo';
import { CLASSIC_ENDPOINT } from './support/classicEndpoint';
import { kubeSnapshot, oneStepTemplate } from './support/writeTracking';

interface BadInput {
  name: string;
  /** A real task of a registered template, or a one-step template through the dry-run endpoint. */
  via:
    | {
        template: 'controller-setup' | 'expose-tcp-endpoint';
        values: Record<string, unknown>;
      }
    | { action: string; input: Record<string, unknown> };
  /** Must name the field and the rule. */
  error: RegExp;
  /** Template cases: the one step that may run, and must be the one that fails (nothing after it starts). */
  failedStep?: string;
}

let env: TemplatesPortal;
let repo: BareRepo;
let repoUrl: string;
let kc: k8s.KubeConfig;
let cluster: string;
let controllerValues: Record<string, unknown>;
let exposeValues: Record<string, unknown>;
let createdService = false;
const refused: string[] = [];

/** Runs one case; returns every error text the API reported. */
async function run(c: BadInput): Promise<string> {
  if ('template' in c.via) {
    const base =
      c.via.template === 'controller-setup' ? controllerValues : exposeValues;
    const values = { ...base, ...c.via.values };
    const created = await env.client.createTask(
      `template:default/${c.via.template}`,
      values,
    );
    if (created.status === 400) {
      // The template's parameter schema refused the values before any step ran.
      return (
        (created.body.errors ?? [])
          .map((e: any) => `${e.property}: ${e.message}`)
          .join('\n') || JSON.stringify(created.body)
      );
    }
    const result = await env.client.runTask(
      `template:default/${c.via.template}`,
      values,
    );
    expect(result.status).toBe('failed');
    if (c.failedStep) {
      const stepsWith = (status: string) => [
        ...new Set(
          result.events
            .filter(e => e.body.stepId && e.body.status === status)
            .map(e => e.body.stepId),
        ),
      ];
      expect({
        started: stepsWith('processing'),
        failed: stepsWith('failed'),
      }).toEqual({
        started: [c.failedStep],
        failed: [c.failedStep],
      });
    }
    return [
      ...result.log,
      result.events.find(e => e.type === 'completion')?.body.error?.message ??
        '',
    ].join('\n');
  }
  const { status, body } = await env.client.dryRun(
    oneStepTemplate(c.via.action, c.via.input),
    {},
  );
  // A failing step fails the whole dry run: the API answers with the step's error (InputError 400, NotAllowedError 403).
  if (status !== 200) {
    expect([400, 403]).toContain(status);
    return `${body?.error?.name}: ${body?.error?.message}`;
  }
  const failed = (body.log ?? []).filter(
    (l: any) => l.body.status === 'failed',
  );
  expect(failed.length).toBeGreaterThan(0);
  return body.log.map((l: any) => l.body.message).join('\n');
}

beforeAll(async () => {
  env = await startTemplatesPortal('bad-inputs');
  const profile =
    env.profiles.find(p => p.profile === PROFILE_V16) ?? env.profiles[0];
  cluster = profile.cluster;
  kc = kubeConfigFor(profile.profile);
  createdService = await ensureBackendService(kc);
  ({
    repo,
    repoUrl,
    values: { controller: controllerValues, expose: exposeValues },
  } = await freshGitOpsRepo(env, cluster, 'gitops-bad'));
}, 900_000);

afterAll(async () => {
  await removeBackendService(kc, createdService);
  await env?.stop();
  console.log(
    `Bad inputs: ${
      refused.length
    } cases refused with the field and rule named and zero writes:\n  ${refused.join(
      '\n  ',
    )}`,
  );
});

const ACCOUNT = '<account>';
const REGION = '<region>';
const CLUSTER = '<cluster>';
const ROLE_ARN = '<role-arn>';
const REPO_URL = '<repo-url>';
const MISSING_REPO_URL = '<missing-repo-url>';
const policy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'elasticloadbalancing:Describe*',
      Resource: '*',
    },
  ],
};
const controller = (values: Record<string, unknown>) => ({
  template: 'controller-setup' as const,
  values,
});
const expose = (values: Record<string, unknown>) => ({
  template: 'expose-tcp-endpoint' as const,
  values,
});
const classicRender = (change: Record<string, unknown>) => ({
  action: 'aws-gateway:endpoint:render',
  input: { ...CLASSIC_ENDPOINT, ...change },
});

/** The guardrails' error for a value missing from an allow list under awsGateway.provisioning. */
function notAllowed(field: string, value: string, allowList: string): RegExp {
  const message = `${field}: "${value}" is not allowed; it must be listed in awsGateway.provisioning.${allowList}`;
  return new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

const CASES: BadInput[] = [
  // controller-setup, real tasks
  {
    name: 'controller-setup: cluster not allowed',
    via: controller({ cluster: 'prod-eu' }),
    error: notAllowed('cluster', 'prod-eu', 'allowedClusters'),
  },
  {
    name: 'controller-setup: region not allowed',
    via: controller({ region: 'eu-central-1' }),
    error: notAllowed('region', 'eu-central-1', 'allowedRegions'),
  },
  {
    name: 'controller-setup: account not allowed',
    via: controller({ accountId: '999999999999' }),
    error: notAllowed('accountId', '999999999999', 'allowedAccountIds'),
  },
  {
    name: 'controller-setup: malformed account id (form schema)',
    via: controller({ accountId: '12345' }),
    error: /accountId: does not match pattern/,
  },
  {
    name: 'controller-setup: unknown controller version (form schema)',
    via: controller({ controllerVersion: 'v2.16.0' }),
    error: /controllerVersion: is not one of enum values/,
  },
  {
    name: 'controller-setup: malformed VPC id (form schema)',
    via: controller({ vpcId: 'vpc-XYZ' }),
    error: /vpcId: does not match pattern/,
  },
  {
    name: 'controller-setup: internet-facing default open to the world',
    via: controller({ scheme: 'internet-facing', sourceCidrs: [] }),
    error:
      /sourceCidrs: the GatewayClass's internet-facing default .* needs explicit source CIDRs .*\[open-to-world\]/,
  },
  {
    name: 'controller-setup: malformed default CIDR',
    via: controller({ sourceCidrs: ['10.0.0.0/33'] }),
    error:
      /sourceCidrs\[0\] "10\.0\.0\.0\/33" is not an IPv4 or IPv6 CIDR block.*\[cidr\]/,
  },
  {
    name: 'controller-setup: GatewayClass name not a DNS name',
    via: controller({ gatewayClassName: 'AWS_NLB' }),
    error:
      /gatewayClassName "AWS_NLB" must be a lower-case DNS name.*\[dns-subdomain\]/,
  },
  {
    name: 'controller-setup: GitOps repository not allowed (refused by the first step, before any IAM call)',
    via: controller({ repoUrl: 'https://git.example.com/platform/gitops.git' }),
    failedStep: 'check',
    error: notAllowed(
      'repoUrl',
      'https://git.example.com/platform/gitops.git',
      'gitops.allowedRepoUrls',
    ),
  },
  {
    name: 'controller-setup: allowed GitOps repository that does not exist (refused by the first step)',
    via: controller({ repoUrl: MISSING_REPO_URL }),
    failedStep: 'check',
    error:
      /repoUrl: http:\/\/\S+\/gitops-missing\.git could not be read with the integration's credentials \(HTTP 404[^)]*\); it must be an existing repository they can read/,
  },
  {
    name: 'controller-setup: IAM names without the configured prefix',
    via: controller({ iamNamePrefix: 'team-' }),
    error:
      /name: "team-lbc-[^"]+" must start with "backstage-" \(awsGateway\.provisioning\.iam\.policyNamePrefix\)/,
  },
  // expose-tcp-endpoint, real tasks
  {
    name: 'expose: namespace not allowed',
    via: expose({ namespace: 'kube-system' }),
    error:
      /namespace "kube-system" is not allowed \(configuration allows default, apps\) \[namespace-not-allowed\]/,
  },
  {
    name: 'expose: listener port outside the allowed range',
    via: expose({ listenerPort: 80 }),
    error:
      /listeners\[0\]\.port 80 is not an allowed listener port \(configuration allows 1024-65535\) \[listener-port-not-allowed\]/,
  },
  {
    name: 'expose: listener port above 65535 (form schema)',
    via: expose({ listenerPort: 70000 }),
    error: /listenerPort: must be less than or equal to 65535/,
  },
  {
    name: 'expose: internet-facing without source CIDRs',
    via: expose({ sourceCidrs: [] }),
    error:
      /sourceCidrs: an internet-facing endpoint needs explicit source CIDRs.*\[open-to-world\]/,
  },
  {
    name: 'expose: internet-facing open to 0.0.0.0/0',
    via: expose({ sourceCidrs: ['0.0.0.0/0'] }),
    error:
      /sourceCidrs: an internet-facing endpoint needs explicit source CIDRs.*\[open-to-world\]/,
  },
  {
    name: 'expose: malformed source CIDR',
    via: expose({ sourceCidrs: ['203.0.113.0'] }),
    error:
      /sourceCidrs\[0\] "203\.0\.113\.0" is not an IPv4 or IPv6 CIDR block.*\[cidr\]/,
  },
  // The form shows the host name for TLS only and the template sends it only then; the action still refuses it.
  {
    name: 'endpoint:render: host name on a TCP listener',
    via: classicRender({
      listeners: [
        {
          name: 'tcp-app',
          protocol: 'TCP',
          port: 8080,
          hostname: 'app.example.com',
        },
      ],
    }),
    error:
      /listeners\[0\]\.hostname: TCP listeners must not set a hostname.*\[listener-hostname-l4\]/,
  },
  {
    name: 'expose: TLS listener without host name',
    via: expose({ protocol: 'TLS' }),
    error:
      /listeners\[0\]\.hostname is required for TLS listeners.*\[tls-hostname-required\]/,
  },
  {
    name: 'expose: Service name not a DNS label',
    via: expose({ serviceName: 'Backend_1' }),
    error:
      /routes\[0\]\.backends\[0\]\.service "Backend_1" must be a lower-case DNS label.*\[dns-label\]/,
  },
  {
    name: 'expose: Service missing in the cluster',
    via: expose({ serviceName: 'missing' }),
    error:
      /routes\[0\]\.backends\[0\]\.service: Service default\/missing does not exist in the cluster \[service-not-found\]/,
  },
  {
    name: 'expose: port the Service does not have',
    via: expose({ servicePort: 4000 }),
    error:
      /routes\[0\]\.backends\[0\]\.port 4000 is not a port of Service default\/backend \(it has 3000\) \[service-port-not-found\]/,
  },
  {
    name: 'expose: controller profile the cluster does not run',
    via: expose({ controllerProfile: 'lbc-v2.17' }),
    error:
      /controllerProfile: "lbc-v2\.17" does not match cluster [^:]+: .*\[controller-profile-mismatch\]/,
  },
  {
    name: 'expose: cluster not allowed',
    via: expose({ cluster: 'prod-eu' }),
    error: notAllowed('cluster', 'prod-eu', 'allowedClusters'),
  },
  {
    name: 'expose: GitOps repository not allowed',
    via: expose({ repoUrl: 'https://git.example.com/platform/gitops.git' }),
    failedStep: 'check',
    error: notAllowed(
      'repoUrl',
      'https://git.example.com/platform/gitops.git',
      'gitops.allowedRepoUrls',
    ),
  },
  {
    name: 'expose: Gateway name not a DNS label',
    via: expose({ gatewayName: 'AWS-GW' }),
    error: /name "AWS-GW" must be a lower-case DNS label.*\[dns-label\]/,
  },
  {
    name: 'expose: route name not a DNS name',
    via: expose({ routeName: 'x..y' }),
    error:
      /routes\[0\]\.name "x\.\.y" must be a lower-case DNS name.*\[dns-subdomain\]/,
  },
  // single actions through the dry-run endpoint (inputs the templates never pass)
  {
    name: 'ensure-policy: identity policy with a Principal',
    via: {
      action: 'aws-gateway:iam:ensure-policy',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        name: 'backstage-x',
        document: {
          ...policy,
          Statement: [{ ...policy.Statement[0], Principal: '*' }],
        },
      },
    },
    error:
      /document: the document is not a valid identity policy: Statement\[0\] must not have a Principal in an identity policy/,
  },
  {
    name: 'ensure-policy: document path outside the workspace',
    via: {
      action: 'aws-gateway:iam:ensure-policy',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        name: 'backstage-x',
        documentPath: '../../etc/passwd',
      },
    },
    error:
      /documentPath: "\.\.\/\.\.\/etc\/passwd" must stay inside the workspace/,
  },
  {
    name: 'ensure-policy: path outside the configured one',
    via: {
      action: 'aws-gateway:iam:ensure-policy',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        name: 'backstage-x',
        path: '/other/',
        document: policy,
      },
    },
    error:
      /path: "\/other\/" must be at or under "\/backstage\/" \(awsGateway\.provisioning\.iam\.path\)/,
  },
  {
    name: 'ensure-policy: updating unmanaged policies beyond configuration',
    via: {
      action: 'aws-gateway:iam:ensure-policy',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        name: 'backstage-x',
        document: policy,
        allowUpdatingUnmanaged: true,
      },
    },
    error:
      /allowUpdatingUnmanaged: true is not allowed; it cannot exceed awsGateway\.provisioning\.iam\.allowUpdatingUnmanagedPolicies/,
  },
  {
    name: 'ensure-pod-identity-role: policy not on the allow-list',
    via: {
      action: 'aws-gateway:iam:ensure-pod-identity-role',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        cluster: CLUSTER,
        roleName: 'backstage-x',
        policyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
    },
    error:
      /policyArns\[0\]: "arn:aws:iam::aws:policy\/AdministratorAccess" is not allowed; a policy must be listed in awsGateway\.provisioning\.iam\.allowedPolicyArns/,
  },
  {
    name: 'ensure-pod-identity-role: reserved tag key',
    via: {
      action: 'aws-gateway:iam:ensure-pod-identity-role',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        cluster: CLUSTER,
        roleName: 'backstage-x',
        tags: { 'aws:owner': 'me' },
      },
    },
    error: /tags\.aws:owner: "me" is not a valid IAM tag/,
  },
  {
    name: 'ensure-pod-identity-role: role name without the prefix',
    via: {
      action: 'aws-gateway:iam:ensure-pod-identity-role',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        cluster: CLUSTER,
        roleName: 'admin',
      },
    },
    error:
      /roleName: "admin" must start with "backstage-" \(awsGateway\.provisioning\.iam\.roleNamePrefix\)/,
  },
  {
    name: 'ensure-pod-identity-association: service account not allowed',
    via: {
      action: 'aws-gateway:eks:ensure-pod-identity-association',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        cluster: CLUSTER,
        namespace: 'default',
        serviceAccount: 'other',
        roleArn: ROLE_ARN,
      },
    },
    error: notAllowed(
      'serviceAccount',
      'default/other',
      'podIdentity.allowedServiceAccounts',
    ),
  },
  {
    name: 'ensure-pod-identity-association: role of another account',
    via: {
      action: 'aws-gateway:eks:ensure-pod-identity-association',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        cluster: CLUSTER,
        roleArn: 'arn:aws:iam::999999999999:role/backstage/backstage-x',
      },
    },
    error: notAllowed('roleArn (account)', '999999999999', 'allowedAccountIds'),
  },
  {
    name: 'ensure-pod-identity-association: replacing roles beyond configuration',
    via: {
      action: 'aws-gateway:eks:ensure-pod-identity-association',
      input: {
        accountId: ACCOUNT,
        region: REGION,
        cluster: CLUSTER,
        roleArn: ROLE_ARN,
        allowReplacingRole: true,
      },
    },
    error:
      /allowReplacingRole: true is not allowed; it cannot exceed awsGateway\.provisioning\.podIdentity\.allowReplacingAssociationRole/,
  },
  {
    name: 'endpoint:render: lower-case health-check protocol',
    via: classicRender({ healthCheck: { protocol: 'tcp' } }),
    error:
      /healthCheck\.protocol "tcp" must be upper case: "TCP".*\[health-check-protocol-case\]/,
  },
  {
    name: 'endpoint:render: every backend with weight 0',
    via: classicRender({
      routes: [
        {
          name: 'r',
          listener: 'tcp-app',
          backends: [{ service: 'backend', port: 3000, weight: 0 }],
        },
      ],
    }),
    error:
      /routes\[0\]\.backends all have weight 0.*\[backend-all-zero-weight\]/,
  },
  {
    name: 'fetch-iam-policy: version that is not a release tag',
    via: {
      action: 'aws-gateway:controller:fetch-iam-policy',
      input: { version: 'latest' },
    },
    error: /version: "latest" must be a controller release tag matching/,
  },
  {
    name: 'controller:render: unsupported controller version',
    via: {
      action: 'aws-gateway:controller:render',
      input: { cluster: CLUSTER, region: REGION, controllerVersion: 'v3.6.0' },
    },
    error:
      /controllerVersion "v3\.6\.0" is not supported: NLB Gateway API support needs v2\.17\.0 – v3\.5\.x \[controller-version-unsupported\]/,
  },
  {
    name: 'controller:render: malformed VPC id',
    via: {
      action: 'aws-gateway:controller:render',
      input: {
        cluster: CLUSTER,
        region: REGION,
        controllerVersion: 'v3.5.0',
        vpcId: 'vpc-XYZ',
      },
    },
    error:
      /vpcId "vpc-XYZ" must be a VPC id like vpc-0123456789abcdef0 \[vpc-id\]/,
  },
  {
    name: 'gitops:commit: pull request on a repository URL the host API cannot address (before any push)',
    via: {
      action: 'aws-gateway:gitops:commit',
      input: {
        repoUrl: REPO_URL,
        mode: 'pull-request',
        branch: 'aws-gateway/default-x',
        targetPath: 'x',
        commitMessage: 'x',
      },
    },
    error:
      /repoUrl: http:\/\/\S+\.git is not a gitea repository URL; mode pull-request needs http:\/\/\S+\/<owner>\/<repo>\.git/,
  },
  {
    name: 'gitops:commit: nothing rendered to commit',
    via: {
      action: 'aws-gateway:gitops:commit',
      input: {
        repoUrl: REPO_URL,
        sourcePath: 'nothing-here',
        targetPath: 'x',
        commitMessage: 'x',
      },
    },
    error: /sourcePath: workspace directory "nothing-here" does not exist/,
  },
];

/** Placeholders in the dry-run inputs, filled in once the peers and the repository exist. */
function fill(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .replace(ACCOUNT, awsPeer().accountId)
      .replace(REGION, awsPeer().region)
      .replace(CLUSTER, cluster)
      .replace(
        ROLE_ARN,
        `arn:aws:iam::${awsPeer().accountId}:role/backstage/backstage-lbc-test`,
      )
      .replace(REPO_URL, repoUrl)
      .replace(MISSING_REPO_URL, `${gitPeer().baseUrl}gitops-missing.git`);
  }
  if (Array.isArray(value)) return value.map(fill);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fill(v)]),
    );
  return value;
}

it('has at least 25 cases', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(25);
});

describe.each(CASES.map(c => [c.name, c] as const))(
  'refuses %s',
  (_name, c) => {
    it('with an error naming the field and the rule, and writes nothing', async () => {
      const kubeBefore = await kubeSnapshot(kc);
      const head = repo.head();
      env.proxy.reset();
      const via =
        'action' in c.via
          ? {
              action: c.via.action,
              input: fill(c.via.input) as Record<string, unknown>,
            }
          : { ...c.via, values: fill(c.via.values) as Record<string, unknown> };
      const errors = await run({ ...c, via });
      expect(errors).toMatch(c.error);
      expect(env.proxy.mutating()).toEqual([]);
      expect(repo.head()).toBe(head);
      expect(repo.branches()).toEqual(['main']);
      expect(await kubeSnapshot(kc)).toEqual(kubeBefore);
      refused.push(`${c.name}: ${errors.match(c.error)![0].slice(0, 160)}`);
    });
  },
);
