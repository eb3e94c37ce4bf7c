/**
 * Integration: the IAM policies and Kubernetes RBAC an administrator installs
 * (docs/install/) are least-privilege AND sufficient.
 *
 * - IAM: the actions the product can send are derived from its source (every
 *   `new <X>Command(` in plugins/, mapped through the `@aws-sdk/client-*`
 *   import it comes from, plus the actions AWS authorizes alongside some calls);
 *   each is granted by exactly one of the two documents and nothing else is;
 *   the resource patterns cover the ARNs the product builds and no other;
 *   moto's CreatePolicy accepts both documents after placeholder substitution.
 * - RBAC: the ClusterRoles and bindings are applied to the real kube-apiserver
 *   and bound to ServiceAccounts; SubjectAccessReview proves every read/write
 *   the product needs is allowed and the rest denied; then the product's own
 *   status service and render-step functions run with those tokens.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import {
  detectControllerProfile,
  iamPolicyArn,
  iamRoleArn,
  readServices,
  renderEndpointManifests,
  serverSideDryRun,
} from '@gateway-portal/plugin-aws-gateway-node';
import { classicEndpointIn } from './support/classicEndpoint';
import { statusServiceFor } from './support/statusService';
import {
  AccessQuestion,
  describeQuestion,
  isAllowed,
  serviceAccountAccess,
  ServiceAccountAccess,
} from './support/serviceAccountAccess';
import {
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import { FakeController, ReconcileResult } from '../fixtures/fakeController';
import {
  awsClientConfig,
  awsPeer,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../peers';
import { REPO_ROOT } from '../peers/cache';
import {
  asList as list,
  clusterRoleOf,
  Identity,
  INSTALL_DIR,
  installValues as installValuesFor,
  PolicyDocument,
  policyText,
  rbacObjects,
  substitute,
} from './support/installDocs';

// ---------------------------------------------------------------------------
// What the product sends to AWS, read from its source.

/** IAM service prefix of each AWS SDK client the product may use. */
const IAM_PREFIX_OF_CLIENT: Record<string, string> = {
  '@aws-sdk/client-elastic-load-balancing-v2': 'elasticloadbalancing',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-eks': 'eks',
};

/**
 * Actions AWS authorizes in addition to the call's own (Service Authorization
 * Reference: "dependent actions", and tag-on-create), for the calls the
 * product makes with those parameters.
 */
const AUTHORIZED_ALONGSIDE: Record<string, string[]> = {
  // CreatePolicy is sent with Tags (the managed-by tag): tag-on-create is iam:TagPolicy.
  'iam:CreatePolicy': ['iam:TagPolicy'],
  // CreateRole is sent with Tags: tag-on-create is iam:TagRole.
  'iam:CreateRole': ['iam:TagRole'],
  // The association passes the role to EKS and is created with tags.
  'eks:CreatePodIdentityAssociation': [
    'iam:PassRole',
    'iam:GetRole',
    'eks:TagResource',
  ],
  'eks:UpdatePodIdentityAssociation': ['iam:PassRole', 'iam:GetRole'],
};

/** The identity that runs the code of each plugin that calls AWS. */
const IDENTITY_OF_PLUGIN: Record<string, Identity> = {
  'aws-gateway-backend': 'status-reader',
  'aws-gateway-node': 'provisioner',
  'scaffolder-backend-module-aws-gateway': 'provisioner',
};

function productSourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === '__testUtils__' ? [] : productSourceFiles(full);
    return /\.tsx?$/.test(entry.name) &&
      !/\.(test|examples)\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** The IAM actions each identity's code sends, with the files that send them. */
function actionsSentByProduct(): Record<Identity, Map<string, string[]>> {
  const sent: Record<Identity, Map<string, string[]>> = {
    'status-reader': new Map(),
    provisioner: new Map(),
  };
  const add = (identity: Identity, action: string, file: string) =>
    sent[identity].set(action, [...(sent[identity].get(action) ?? []), file]);
  for (const plugin of fs.readdirSync(path.join(REPO_ROOT, 'plugins'))) {
    const src = path.join(REPO_ROOT, 'plugins', plugin, 'src');
    if (!fs.existsSync(src)) continue;
    for (const file of productSourceFiles(src)) {
      const text = fs.readFileSync(file, 'utf8');
      const commands = [
        ...[...text.matchAll(/new\s+([A-Z]\w*)Command\s*\(/g)].map(m => ({
          operation: m[1],
          name: `${m[1]}Command`,
        })),
        // The SDK's paginators send their operation's command, once per page.
        ...[...text.matchAll(/\bpaginate([A-Z]\w*)\s*\(/g)].map(m => ({
          operation: m[1],
          name: `paginate${m[1]}`,
        })),
      ];
      if (!commands.length) continue;
      const relative = path.relative(REPO_ROOT, file);
      const identity = IDENTITY_OF_PLUGIN[plugin];
      if (!identity)
        throw new Error(
          `${relative} sends AWS commands but its plugin has no identity here`,
        );
      const clientOf = new Map<string, string>();
      for (const m of text.matchAll(
        /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[\w-]+)'/g,
      )) {
        for (const name of m[1]
          .split(',')
          .map(s => s.trim().split(/\s+as\s+/)[0]))
          clientOf.set(name, m[2]);
      }
      for (const { operation, name } of commands) {
        // `paginateX(` in prose (a comment) is no call: only imported paginators count.
        if (name.startsWith('paginate') && !clientOf.has(name)) continue;
        const client = clientOf.get(name);
        const prefix = client && IAM_PREFIX_OF_CLIENT[client];
        if (!prefix)
          throw new Error(
            `${relative}: ${name} is not from a known AWS SDK client (${
              client ?? 'no import'
            })`,
          );
        const action = `${prefix}:${operation}`;
        add(identity, action, relative);
        for (const alongside of AUTHORIZED_ALONGSIDE[action] ?? [])
          add(identity, alongside, relative);
      }
    }
  }
  return sent;
}

// ---------------------------------------------------------------------------
// The IAM documents.

const allowed = (doc: PolicyDocument) =>
  doc.Statement.filter(s => s.Effect === 'Allow');

/** The placeholders the install README documents (its `${NAME}` table rows). */
function documentedPlaceholders(): Set<string> {
  const readme = fs.readFileSync(path.join(INSTALL_DIR, 'README.md'), 'utf8');
  return new Set(
    [...readme.matchAll(/^\|\s*`\$\{([A-Z_]+)\}`/gm)].map(m => m[1]),
  );
}

/** IAM's wildcard matching of a Resource or ArnLike value: `*` any run of characters, `?` one. */
function iamWildcardMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** Whether an Allow statement of `doc` grants `action` on `resource` (conditions aside). */
function grants(
  doc: PolicyDocument,
  action: string,
  resource: string,
): boolean {
  return allowed(doc).some(
    s =>
      list(s.Action).includes(action) &&
      list(s.Resource).some(r => iamWildcardMatches(r, resource)),
  );
}

function installValues(): Record<string, string> {
  const aws = awsPeer();
  return installValuesFor({
    accountId: aws.accountId,
    region: aws.region,
    clusterName: 'prod-eu',
    permissionsBoundaryArn: `arn:aws:iam::${aws.accountId}:policy/backstage-boundary`,
  });
}

describe('IAM policies of docs/install/iam', () => {
  const sent = actionsSentByProduct();
  const documents = {
    'status-reader': JSON.parse(policyText('status-reader')) as PolicyDocument,
    provisioner: JSON.parse(policyText('provisioner')) as PolicyDocument,
  };

  it('finds the AWS calls of both identities in the source (the scan works)', () => {
    expect([...sent['status-reader'].keys()]).toContain(
      'elasticloadbalancing:DescribeTargetHealth',
    );
    expect([...sent.provisioner.keys()]).toEqual(
      expect.arrayContaining([
        'iam:CreateRole',
        'iam:CreatePolicyVersion',
        'eks:CreatePodIdentityAssociation',
      ]),
    );
  });

  it.each(['status-reader', 'provisioner'] as const)(
    'the %s policy grants exactly the actions its code sends, and the other policy none of them',
    identity => {
      const other: Identity =
        identity === 'provisioner' ? 'status-reader' : 'provisioner';
      const needed = [...sent[identity].keys()].sort();
      const granted = [
        ...new Set(allowed(documents[identity]).flatMap(s => list(s.Action))),
      ].sort();
      expect(granted).toEqual(needed);
      const grantedByOther = new Set(
        allowed(documents[other]).flatMap(s => list(s.Action)),
      );
      expect(needed.filter(a => grantedByOther.has(a))).toEqual([]);
    },
  );

  it.each(['status-reader', 'provisioner'] as const)(
    'the %s policy has no wildcard action, NotAction or NotResource, and "*" only for ELBv2 Describe*',
    identity => {
      for (const s of documents[identity].Statement) {
        expect(s.NotAction).toBeUndefined();
        expect(s.NotResource).toBeUndefined();
        for (const action of list(s.Action)) expect(action).not.toMatch(/\*/);
      }
      const onEveryResource = documents[identity].Statement.filter(s =>
        list(s.Resource).includes('*'),
      );
      for (const s of onEveryResource) {
        expect(
          list(s.Action).every(a =>
            /^elasticloadbalancing:Describe\w+$/.test(a),
          ),
        ).toBe(true);
      }
    },
  );

  it('uses only placeholders the install README documents', () => {
    const documented = documentedPlaceholders();
    const used = new Set(
      ['status-reader', 'provisioner', 'rbac/dry-run.yaml'].flatMap(f => {
        const text = f.startsWith('rbac/')
          ? fs.readFileSync(path.join(INSTALL_DIR, f), 'utf8')
          : policyText(f as Identity);
        return [...text.matchAll(/\$\{([A-Z_]+)\}/g)].map(m => m[1]);
      }),
    );
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter(p => !documented.has(p))).toEqual([]);
  });

  describe('the provisioner policy, with the README example values', () => {
    const values = installValues();
    const doc = JSON.parse(
      substitute(policyText('provisioner'), values),
    ) as PolicyDocument;
    const ref = (name: string, p = values.IAM_PATH) => ({
      partition: 'aws',
      accountId: values.ACCOUNT_ID,
      path: p,
      name,
    });
    const cluster = `arn:aws:eks:${values.REGION}:${values.ACCOUNT_ID}:cluster/${values.CLUSTER_NAME}`;
    const association = (c: string) =>
      `arn:aws:eks:${values.REGION}:${values.ACCOUNT_ID}:podidentityassociation/${c}/a-1abc`;

    it('covers the role and policy ARNs the product builds for the configured path and prefixes', () => {
      for (const action of [
        'iam:GetRole',
        'iam:CreateRole',
        'iam:AttachRolePolicy',
        'iam:PassRole',
      ]) {
        expect(grants(doc, action, iamRoleArn(ref('backstage-lbc')))).toBe(
          true,
        );
      }
      for (const action of [
        'iam:GetPolicy',
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
      ]) {
        expect(grants(doc, action, iamPolicyArn(ref('backstage-lbc')))).toBe(
          true,
        );
      }
      expect(grants(doc, 'eks:CreatePodIdentityAssociation', cluster)).toBe(
        true,
      );
      expect(
        grants(
          doc,
          'eks:UpdatePodIdentityAssociation',
          association(values.CLUSTER_NAME),
        ),
      ).toBe(true);
    });

    it('grants nothing on roles and policies outside the path or prefix, nor on other clusters', () => {
      for (const outside of [
        ref('backstage-lbc', '/'),
        ref('admin', '/backstage/'),
        ref('backstage-x', '/backstage/nested/x/'),
      ]) {
        for (const action of [
          'iam:GetRole',
          'iam:CreateRole',
          'iam:UpdateAssumeRolePolicy',
          'iam:AttachRolePolicy',
          'iam:PassRole',
        ]) {
          expect(grants(doc, action, iamRoleArn(outside))).toBe(false);
        }
        expect(
          grants(doc, 'iam:CreatePolicyVersion', iamPolicyArn(outside)),
        ).toBe(false);
      }
      expect(
        grants(doc, 'eks:CreatePodIdentityAssociation', `${cluster}-other`),
      ).toBe(false);
      expect(
        grants(doc, 'eks:UpdatePodIdentityAssociation', association('other')),
      ).toBe(false);
    });

    it('forces the permissions boundary, limits attachable policies and whom roles are passed to', () => {
      const statementWith = (action: string) =>
        allowed(doc).find(s => list(s.Action).includes(action))!;
      for (const action of [
        'iam:CreateRole',
        'iam:PutRolePermissionsBoundary',
      ]) {
        expect(statementWith(action).Condition).toEqual({
          StringEquals: {
            'iam:PermissionsBoundary': values.PERMISSIONS_BOUNDARY_ARN,
          },
        });
      }
      expect(statementWith('iam:AttachRolePolicy').Condition).toEqual({
        ArnLike: {
          'iam:PolicyARN': iamPolicyArn(ref(`${values.POLICY_NAME_PREFIX}*`)),
        },
      });
      expect(statementWith('iam:PassRole').Condition).toEqual({
        StringEquals: {
          'iam:PassedToService': [
            'pods.eks.amazonaws.com',
            'eks.amazonaws.com',
          ],
        },
      });
      const denyBoundary = doc.Statement.find(s => s.Effect === 'Deny')!;
      expect(list(denyBoundary.Resource)).toEqual([
        values.PERMISSIONS_BOUNDARY_ARN,
      ]);
      expect(list(denyBoundary.Action)).toEqual(
        expect.arrayContaining([
          'iam:CreatePolicyVersion',
          'iam:DeletePolicyVersion',
        ]),
      );
    });
  });

  it("moto's IAM accepts both documents (CreatePolicy validates them)", async () => {
    const iam = new IAMClient(awsClientConfig());
    try {
      for (const identity of ['status-reader', 'provisioner'] as const) {
        const document = substitute(policyText(identity), installValues());
        const created = await iam.send(
          new CreatePolicyCommand({
            PolicyName: uniqueName(`install-${identity}`),
            PolicyDocument: document,
          }),
        );
        expect(created.Policy?.Arn).toMatch(
          /^arn:aws:iam::\d{12}:policy\/install-/,
        );
      }
    } finally {
      iam.destroy();
    }
  });
});

// ---------------------------------------------------------------------------
// Kubernetes RBAC.

const GW = 'gateway.networking.k8s.io';
const LBC = 'gateway.k8s.aws';

/** What the status backend's watch cache holds (besides the card's Events, whose two grants are alternatives). */
const WATCHED: Array<[string, string]> = [
  [GW, 'gateways'],
  [GW, 'gatewayclasses'],
  [GW, 'tcproutes'],
  [GW, 'udproutes'],
  [GW, 'tlsroutes'],
  [LBC, 'loadbalancerconfigurations'],
  [LBC, 'targetgroupconfigurations'],
  ['elbv2.k8s.aws', 'targetgroupbindings'],
  ['discovery.k8s.io', 'endpointslices'],
  ['', 'services'],
];

/** The reads of the status backend (plugins/aws-gateway-backend/src/kubernetes/). */
function statusReads(namespace: string): AccessQuestion[] {
  return [
    { verb: 'get', group: GW, resource: 'gateways', namespace },
    { verb: 'list', group: GW, resource: 'gateways' },
    { verb: 'list', group: GW, resource: 'gatewayclasses' },
    ...['tcproutes', 'udproutes', 'tlsroutes'].map(resource => ({
      verb: 'list',
      group: GW,
      resource,
    })),
    { verb: 'list', group: LBC, resource: 'loadbalancerconfigurations' },
    { verb: 'list', group: LBC, resource: 'targetgroupconfigurations' },
    {
      verb: 'list',
      group: 'elbv2.k8s.aws',
      resource: 'targetgroupbindings',
      namespace,
    },
    {
      verb: 'list',
      group: 'discovery.k8s.io',
      resource: 'endpointslices',
      namespace,
    },
    { verb: 'list', group: '', resource: 'services', namespace },
    // The watch cache lists and watches each of them cluster-wide.
    ...WATCHED.flatMap(([group, resource]) =>
      ['list', 'watch'].map(verb => ({ verb, group, resource })),
    ),
  ];
}

/** The render step's server-side dry run (apply = patch, create when new) and Service reads. */
function provisionerCalls(namespace: string): AccessQuestion[] {
  const kinds: Array<[string, string]> = [
    [GW, 'gateways'],
    [GW, 'tcproutes'],
    [GW, 'udproutes'],
    [GW, 'tlsroutes'],
    [LBC, 'loadbalancerconfigurations'],
    [LBC, 'targetgroupconfigurations'],
  ];
  return [
    { verb: 'get', group: '', resource: 'services', namespace },
    ...kinds.flatMap(([group, resource]) =>
      ['create', 'patch'].map(verb => ({ verb, group, resource, namespace })),
    ),
  ];
}

/** What neither identity may do. */
function forbiddenToBoth(namespace: string): AccessQuestion[] {
  return [
    ...['update', 'delete', 'deletecollection'].map(verb => ({
      verb,
      group: GW,
      resource: 'gateways',
      namespace,
    })),
    {
      verb: 'delete',
      group: 'elbv2.k8s.aws',
      resource: 'targetgroupbindings',
      namespace,
    },
    { verb: 'create', group: GW, resource: 'gatewayclasses' },
    { verb: 'get', group: '', resource: 'secrets', namespace },
    { verb: 'list', group: '', resource: 'secrets' },
    { verb: 'list', group: '', resource: 'configmaps', namespace },
    { verb: 'list', group: '', resource: 'pods', namespace },
    { verb: 'create', group: '', resource: 'pods', namespace },
    { verb: 'update', group: '', resource: 'services', namespace },
    {
      verb: 'create',
      group: 'rbac.authorization.k8s.io',
      resource: 'rolebindings',
      namespace,
    },
    {
      verb: 'escalate',
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
    },
    { verb: 'impersonate', group: '', resource: 'users' },
  ];
}

describe(`Kubernetes RBAC of docs/install/rbac on ${PROFILE_V16}`, () => {
  const admin = kubeConfigFor(PROFILE_V16);
  const suffix = uniqueName('i');
  const applied: k8s.KubernetesObject[] = [];
  let home: string; // the ServiceAccounts' namespace, also the one the provisioner is bound in
  let other: string; // a namespace nobody is bound in
  let reader: ServiceAccountAccess;
  let provisioner: ServiceAccountAccess;
  let unbound: ServiceAccountAccess;

  beforeAll(async () => {
    const core = admin.makeApiClient(k8s.CoreV1Api);
    home = uniqueName('install');
    other = uniqueName('other');
    for (const name of [home, other])
      await core.createNamespace({ body: { metadata: { name } } });
    reader = await serviceAccountAccess(admin, home, 'status-reader');
    provisioner = await serviceAccountAccess(admin, home, 'provisioner');
    unbound = await serviceAccountAccess(admin, home, 'unbound');
    const objects = [
      ...rbacObjects('status-reader.yaml', suffix, reader.subject),
      ...rbacObjects('dry-run.yaml', suffix, provisioner.subject, {
        GATEWAY_NAMESPACE: home,
      }),
    ];
    const api = k8s.KubernetesObjectApi.makeApiClient(admin);
    for (const object of objects) {
      await api.create(object);
      applied.push(object);
    }
    await core.createNamespacedService({
      namespace: home,
      body: {
        metadata: { name: 'backend' },
        spec: { type: 'ClusterIP', ports: [{ port: 3000 }] },
      },
    });
  });

  afterAll(async () => {
    const api = k8s.KubernetesObjectApi.makeApiClient(admin);
    for (const object of applied.reverse())
      await api.delete(object).catch(() => undefined);
  });

  /** A fresh ServiceAccount bound (cluster-wide or in `home`) to a ClusterRole with only `rules`. */
  async function boundVariant(
    name: string,
    rules: k8s.V1PolicyRule[],
    scope: 'cluster' | 'home',
  ): Promise<ServiceAccountAccess> {
    const who = await serviceAccountAccess(admin, home, name);
    const roleName = `gateway-portal-${name}-${suffix}`;
    const roleRef = {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: roleName,
    };
    const objects: k8s.KubernetesObject[] = [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: roleName },
        rules,
      } as k8s.V1ClusterRole,
      scope === 'cluster'
        ? ({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: roleName },
            roleRef,
            subjects: [who.subject],
          } as k8s.V1ClusterRoleBinding)
        : ({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: roleName, namespace: home },
            roleRef,
            subjects: [who.subject],
          } as k8s.V1RoleBinding),
    ];
    const api = k8s.KubernetesObjectApi.makeApiClient(admin);
    for (const object of objects) {
      await api.create(object);
      applied.push(object);
    }
    return who;
  }

  it('applies as documented: a ClusterRole and ClusterRoleBinding for the reader, a ClusterRole and RoleBinding for the provisioner', () => {
    expect(applied.map(o => o.kind)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRole',
      'RoleBinding',
    ]);
  });

  it('lets the status reader do every read the status backend makes', async () => {
    for (const q of statusReads(home)) {
      expect([describeQuestion(q), await isAllowed(admin, reader, q)]).toEqual([
        describeQuestion(q),
        true,
      ]);
    }
  });

  it("refuses the status reader any write, Secret or the provisioner's dry-run rights", async () => {
    const refused = [
      ...forbiddenToBoth(home),
      ...provisionerCalls(home).filter(q => q.verb !== 'get'),
      { verb: 'get', group: '', resource: 'services', namespace: home },
    ];
    for (const q of refused) {
      expect([describeQuestion(q), await isAllowed(admin, reader, q)]).toEqual([
        describeQuestion(q),
        false,
      ]);
    }
  });

  it('lets the provisioner read Services and dry-run the rendered kinds in its namespace only', async () => {
    for (const q of provisionerCalls(home)) {
      expect([
        describeQuestion(q),
        await isAllowed(admin, provisioner, q),
      ]).toEqual([describeQuestion(q), true]);
    }
    const elsewhere = [
      ...provisionerCalls(other),
      ...provisionerCalls(home).map(({ namespace: _, ...q }) => q),
    ];
    for (const q of [
      ...elsewhere,
      ...forbiddenToBoth(home),
      ...statusReads(home),
    ]) {
      expect([
        describeQuestion(q),
        await isAllowed(admin, provisioner, q),
      ]).toEqual([describeQuestion(q), false]);
    }
  });

  it("runs the render step's Kubernetes calls with the provisioner's token: profile detection, Service read, dry run", async () => {
    const kc = provisioner.kubeConfig;
    const detected = await detectControllerProfile(kc);
    expect(detected.problem).toBeUndefined();
    expect(detected.profile?.id).toBe('lbc-v3.5');

    const services = await readServices(kc, home, ['backend', 'missing']);
    expect(services.get('backend')).toMatchObject({
      type: 'ClusterIP',
      ports: [3000],
    });
    expect(services.get('missing')).toBeUndefined();

    const profile = CONTROLLER_PROFILES['lbc-v3.5'];
    const manifests = renderEndpointManifests(
      classicEndpointIn(home),
      profile,
    ).map(r => r.manifest);
    expect(await serverSideDryRun(kc, manifests)).toEqual([]);
    const gateways = await admin
      .makeApiClient(k8s.CustomObjectsApi)
      .listNamespacedCustomObject({
        group: GW,
        version: 'v1',
        namespace: home,
        plural: 'gateways',
      });
    expect(gateways.items).toEqual([]); // a dry run persists nothing

    // Outside the namespace it is bound in, the same calls are forbidden.
    const elsewhere = renderEndpointManifests(
      classicEndpointIn(other),
      profile,
    ).map(r => r.manifest);
    await expect(serverSideDryRun(kc, elsewhere)).rejects.toMatchObject({
      code: 403,
    });
    await expect(readServices(kc, other, ['backend'])).rejects.toMatchObject({
      code: 403,
    });
  });

  it('needs both create and patch for the dry run, and get on Services', async () => {
    const role = clusterRoleOf('dry-run.yaml', suffix, provisioner.subject, {
      GATEWAY_NAMESPACE: home,
    });
    const manifests = renderEndpointManifests(
      classicEndpointIn(home),
      CONTROLLER_PROFILES['lbc-v3.5'],
    ).map(r => r.manifest);
    for (const verb of ['create', 'patch']) {
      const rules = role.rules!.map(r => ({
        ...r,
        verbs: r.verbs.filter(v => v !== verb),
      }));
      const who = await boundVariant(
        `provisioner-minus-${verb}`,
        rules,
        'home',
      );
      await expect(
        serverSideDryRun(who.kubeConfig, manifests),
      ).rejects.toMatchObject({ code: 403 });
    }
    const withoutServices = role.rules!.filter(
      r => !r.resources!.includes('services'),
    );
    const who = await boundVariant(
      'provisioner-minus-services',
      withoutServices,
      'home',
    );
    await expect(
      readServices(who.kubeConfig, home, ['backend']),
    ).rejects.toMatchObject({ code: 403 });
  });

  describe("the status service with the status reader's token", () => {
    const clusterName = 'install-permissions';
    const entity = 'component:default/install-svc';
    let controller: FakeController;
    let elbv2: ElasticLoadBalancingV2Client;

    /** The entity names its Gateway (read with get)... */
    const byName = () => ({ 'aws-gateway.io/gateways': `test/${home}/web` });
    /** ...or carries the Gateway's kubernetes-id label (read with a list across namespaces). */
    const byKubernetesId = { 'backstage.io/kubernetes-id': 'install-web' };
    let programmed: Promise<ReconcileResult>;

    beforeAll(async () => {
      ({ controller, elbv2 } = await startFakeController(
        admin,
        clusterName,
        'v1',
      ));
      await ensureClassicGatewayClass(admin);
      programmed = programClassicGateway(admin, controller, {
        namespace: home,
        name: 'web',
        id: 'install-web',
        entityRef: entity,
        ips: ['192.0.2.21', '192.0.2.22'],
      });
      await programmed;
    });
    afterAll(() => elbv2?.destroy());

    /** Errors of the response and its Gateways, or a Gateway short of programmed with healthy targets. */
    async function shortcomings(
      kc: k8s.KubeConfig,
      annotations: Record<string, string> = byName(),
    ): Promise<unknown[]> {
      const res = await statusServiceFor(kc, clusterName, entity)(annotations);
      const gateways = res.gateways.map(g => ({
        errors: g.errors,
        warnings: g.warnings,
        state: g.state,
        health: g.listeners.flatMap(l => l.targetGroups.map(t => t.health)),
      }));
      return [
        ...res.errors,
        ...(gateways.length === 1 ? [] : [`${gateways.length} gateways`]),
        ...gateways.flatMap(g => [
          ...g.errors,
          ...g.warnings,
          ...(g.state === 'programmed' ? [] : [`state ${g.state}`]),
          ...(g.health.length === 1 && g.health[0]?.healthy === 2
            ? []
            : [`health ${JSON.stringify(g.health)}`]),
        ]),
      ];
    }

    it('shows a programmed Gateway with its listener and healthy targets, no error and no warning', async () => {
      const lb = await programmed;

      const res = await statusServiceFor(
        reader.kubeConfig,
        clusterName,
        entity,
      )(byName());
      expect(res.errors).toEqual([]);
      expect(res.gateways).toHaveLength(1);
      const gw = res.gateways[0];
      expect(gw.errors).toEqual([]);
      expect(gw.warnings).toEqual([]);
      expect(gw.state).toBe('programmed');
      expect(gw.dnsName).toBe(lb.dnsName.toLowerCase());
      expect(gw.listeners[0].routes).toHaveLength(1);
      expect(gw.listeners[0].targetGroups[0]).toMatchObject({
        targetType: 'ip',
        service: { namespace: home, name: 'web', port: 8080 },
        health: { healthy: 2, total: 2 },
      });

      expect(await shortcomings(reader.kubeConfig)).toEqual([]);
      expect(await shortcomings(reader.kubeConfig, byKubernetesId)).toEqual([]);
      // Control: the same request with a token that has no binding does not get there.
      expect((await shortcomings(unbound.kubeConfig)).length).toBeGreaterThan(
        0,
      );
    });

    it('needs every rule of the status reader ClusterRole: without any one of them the card falls short', async () => {
      const role = clusterRoleOf('status-reader.yaml', suffix, reader.subject);
      for (const [i, rule] of role.rules!.entries()) {
        // The two events grants are alternatives (events.k8s.io or core), and
        // without both the status is whole with a "not readable" note:
        // least-privilege.test.ts proves that case.
        if (rule.resources?.includes('events')) continue;
        const who = await boundVariant(
          `reader-minus-${i}`,
          role.rules!.filter((_, j) => j !== i),
          'cluster',
        );
        const found = [
          ...(await shortcomings(who.kubeConfig)),
          ...(await shortcomings(who.kubeConfig, byKubernetesId)),
        ];
        expect([
          `without ${rule.verbs} ${rule.resources}`,
          found.length > 0,
        ]).toEqual([`without ${rule.verbs} ${rule.resources}`, true]);
      }
    });
  });
});
