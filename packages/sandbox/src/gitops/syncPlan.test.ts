import {
  filesToRead,
  parseManifestFile,
  planSync,
  refKey,
  SYNC_LIMITS,
} from './syncPlan';

const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: aws-tcp-gateway
  namespace: default
spec:
  gatewayClassName: aws-nlb
  listeners: [{ name: tcp-app, protocol: TCP, port: 8080 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: { name: tcp-backend-aws, namespace: default }
spec: {}
`;

describe('filesToRead', () => {
  it('reads regular YAML files only, and says why it skips links, submodules and big files', () => {
    const { read, skipped } = filesToRead([
      { path: 'gateways/default/gw/gateway.yaml', mode: '100644', size: 100 },
      { path: 'gateways/default/gw/route.yml', mode: '100755', size: 100 },
      { path: 'README.md', mode: '100644', size: 100 },
      { path: 'gateways/default/evil.yaml', mode: '120000', size: 20 },
      { path: 'vendor.yaml', mode: '160000', size: 0 },
      { path: 'huge.yaml', mode: '100644', size: SYNC_LIMITS.fileBytes + 1 },
    ]);
    expect(read.map(f => f.path)).toEqual([
      'gateways/default/gw/gateway.yaml',
      'gateways/default/gw/route.yml',
    ]);
    expect(skipped).toEqual([
      {
        source: 'gateways/default/evil.yaml',
        reason: 'not a regular file (mode 120000)',
      },
      { source: 'vendor.yaml', reason: 'not a regular file (mode 160000)' },
      {
        source: 'huge.yaml',
        reason: `larger than ${SYNC_LIMITS.fileBytes} bytes`,
      },
    ]);
  });
});

describe('parseManifestFile', () => {
  it('turns each Gateway API / LBC document into an object to apply', () => {
    const { objects, skipped } = parseManifestFile('gw.yaml', gateway);
    expect(skipped).toEqual([]);
    expect(objects.map(o => o.ref)).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        namespace: 'default',
        name: 'aws-tcp-gateway',
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'TCPRoute',
        namespace: 'default',
        name: 'tcp-backend-aws',
      },
    ]);
    expect(objects[0].manifest).toMatchObject({
      spec: { gatewayClassName: 'aws-nlb' },
    });
  });

  it('skips what is not an object of a synced group: Helm values, RBAC, Secrets, broken YAML', () => {
    const text = [
      'controllerConfig:\n  featureGates: { NLBGatewayAPI: true }',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: pwn }',
      'apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: default }',
      'apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\nmetadata: { name: [1] }',
      'key: [unclosed',
    ].join('\n---\n');
    const { objects, skipped } = parseManifestFile('x.yaml', text);
    expect(objects).toEqual([]);
    expect(skipped.map(s => s.reason)).toEqual([
      'not a Kubernetes object (apiVersion, kind, metadata.name)',
      'ClusterRoleBinding (rbac.authorization.k8s.io/v1) is not of a synced API group (gateway.networking.k8s.io, gateway.k8s.aws)',
      'Secret (v1) is not of a synced API group (gateway.networking.k8s.io, gateway.k8s.aws)',
      'not a Kubernetes object (apiVersion, kind, metadata.name)',
      expect.stringMatching(/^not valid YAML: /),
    ]);
  });

  it('keeps a cluster-scoped object without a namespace', () => {
    const { objects } = parseManifestFile(
      'class.yaml',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: aws-nlb }\nspec: { controllerName: gateway.k8s.aws/nlb }',
    );
    expect(objects[0].ref).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      name: 'aws-nlb',
    });
  });

  it('stops reading a file after the document limit', () => {
    const text = Array.from(
      { length: SYNC_LIMITS.documentsPerFile + 5 },
      (_, i) =>
        `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: g${i}, namespace: default }`,
    ).join('\n---\n');
    const { objects, skipped } = parseManifestFile('many.yaml', text);
    expect(objects).toHaveLength(SYNC_LIMITS.documentsPerFile);
    expect(skipped).toEqual([
      {
        source: `many.yaml#${SYNC_LIMITS.documentsPerFile}`,
        reason: expect.stringContaining('more than'),
      },
    ]);
  });
});

describe('planSync', () => {
  const objects = (file: string, text: string) =>
    parseManifestFile(file, text).objects;
  const lbc = objects(
    'lbc.yaml',
    'apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\nmetadata: { name: aws-tcp-gateway, namespace: default }',
  );
  const gw = objects('gw.yaml', gateway);

  it('applies configurations before Gateways and Gateways before routes', () => {
    const plan = planSync([...gw, ...lbc], []);
    expect(plan.apply.map(o => o.ref.kind)).toEqual([
      'LoadBalancerConfiguration',
      'Gateway',
      'TCPRoute',
    ]);
    expect(plan.prune).toEqual([]);
    expect(plan.conflicts).toEqual([]);
  });

  it('prunes only what it applied before and the commit no longer has, routes first', () => {
    const inventory = [...gw, ...lbc].map(o => o.ref);
    const plan = planSync([], inventory);
    expect(plan.prune.map(r => r.kind)).toEqual([
      'TCPRoute',
      'Gateway',
      'LoadBalancerConfiguration',
    ]);
    // An object the sync never applied is not in its inventory, so it is never a candidate.
    const kept = planSync(
      gw,
      lbc.map(o => o.ref),
    );
    expect(kept.prune.map(r => r.kind)).toEqual(['LoadBalancerConfiguration']);
    expect(
      planSync(
        gw,
        gw.map(o => o.ref),
      ).prune,
    ).toEqual([]);
  });

  it('applies nothing and prunes nothing when two documents name one object', () => {
    const plan = planSync(
      [...gw, ...objects('copy.yaml', gateway)],
      lbc.map(o => o.ref),
    );
    expect(plan.apply).toEqual([]);
    expect(plan.prune).toEqual([]);
    expect(plan.conflicts).toEqual([
      'Gateway default/aws-tcp-gateway in gw.yaml#0 and copy.yaml#0',
      'TCPRoute default/tcp-backend-aws in gw.yaml#1 and copy.yaml#1',
    ]);
  });

  it('tells objects apart by group, kind, namespace and name (not version)', () => {
    expect(
      refKey({
        apiVersion: 'gateway.k8s.aws/v1',
        kind: 'LoadBalancerConfiguration',
        namespace: 'a',
        name: 'x',
      }),
    ).toBe(
      refKey({
        apiVersion: 'gateway.k8s.aws/v1beta1',
        kind: 'LoadBalancerConfiguration',
        namespace: 'a',
        name: 'x',
      }),
    );
    expect(
      refKey({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        namespace: 'a',
        name: 'x',
      }),
    ).not.toBe(
      refKey({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        namespace: 'b',
        name: 'x',
      }),
    );
  });
});
