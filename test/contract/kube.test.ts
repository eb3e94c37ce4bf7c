/**
 * Contract: the Kubernetes peer is a real kube-apiserver enforcing the real
 * CRD schemas (OpenAPI + CEL), served versions, RBAC and admission policies of
 * the two CRD profiles. Talks through @kubernetes/client-node, as the product does.
 */
import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor, PROFILE_V13, PROFILE_V16, uniqueName } from '../peers';

const GW_GROUP = 'gateway.networking.k8s.io';

function tcpRoute(apiVersion: string, name: string, rules: number) {
  return {
    apiVersion: `${GW_GROUP}/${apiVersion}`,
    kind: 'TCPRoute',
    metadata: { name },
    spec: {
      parentRefs: [{ name: 'gw', sectionName: 'tcp' }],
      rules: Array.from({ length: rules }, (_, i) => ({
        backendRefs: [{ name: `svc-${i}`, port: 8080 + i }],
      })),
    },
  };
}

function gateway(name: string, listener: Record<string, unknown>) {
  return {
    apiVersion: `${GW_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name },
    spec: {
      gatewayClassName: 'aws-nlb',
      listeners: [{ name: 'tcp', protocol: 'TCP', port: 9000, ...listener }],
    },
  };
}

/** Awaits a rejected call and returns the HTTP status + Status message from the API server. */
async function rejection(
  p: Promise<unknown>,
): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof k8s.ApiException)) throw e;
    let message = String(e.body);
    try {
      message = JSON.parse(String(e.body)).message ?? message;
    } catch {
      /* not JSON */
    }
    return { code: e.code, message };
  }
  throw new Error(
    'expected the API server to reject the request, but it was accepted',
  );
}

async function newNamespace(kc: k8s.KubeConfig): Promise<string> {
  const name = uniqueName('contract');
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .createNamespace({ body: { metadata: { name } } });
  return name;
}

function create(
  kc: k8s.KubeConfig,
  namespace: string,
  plural: string,
  body: any,
) {
  const [group, version] = body.apiVersion.split('/');
  return kc
    .makeApiClient(k8s.CustomObjectsApi)
    .createNamespacedCustomObject({ group, version, namespace, plural, body });
}

async function servedVersions(
  kc: k8s.KubeConfig,
  group: string,
  kind: string,
): Promise<string[]> {
  const apis = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
  const g = apis.groups.find(x => x.name === group);
  const out: string[] = [];
  for (const v of g?.versions ?? []) {
    const res = await kc
      .makeApiClient(k8s.CustomObjectsApi)
      .getAPIResources({ group, version: v.version });
    if (res.resources.some(r => r.kind === kind)) out.push(v.version);
  }
  return out.sort();
}

describe(`profile ${PROFILE_V16} (Gateway API v1.6.0 standard + LBC v3.5.0 CRDs)`, () => {
  const kc = kubeConfigFor(PROFILE_V16);
  let ns: string;
  beforeAll(async () => {
    ns = await newNamespace(kc);
  });

  it('serves the kube-apiserver it was built from', async () => {
    const v = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(v.gitVersion).toBe('v1.36.5');
  });

  it('serves TCPRoute as v1 only and LBC gateway.k8s.aws v1 + v1beta1', async () => {
    expect(await servedVersions(kc, GW_GROUP, 'TCPRoute')).toEqual(['v1']);
    expect(
      await servedVersions(kc, 'gateway.k8s.aws', 'LoadBalancerConfiguration'),
    ).toEqual(['v1', 'v1beta1']);
    expect(
      await servedVersions(kc, 'elbv2.k8s.aws', 'TargetGroupBinding'),
    ).toContain('v1beta1');
  });

  it('accepts a v1 TCPRoute with exactly one rule', async () => {
    await expect(
      create(kc, ns, 'tcproutes', tcpRoute('v1', 'one-rule', 1)),
    ).resolves.toBeTruthy();
  });

  it('rejects a v1 TCPRoute with two rules', async () => {
    const r = await rejection(
      create(kc, ns, 'tcproutes', tcpRoute('v1', 'two-rules', 2)),
    );
    expect(r.code).toBe(422);
    expect(r.message).toMatch(
      /spec\.rules: Too many: 2: must have at most 1 item/,
    );
  });

  it('accepts a Gateway with a TCP listener without hostname', async () => {
    await expect(
      create(kc, ns, 'gateways', gateway('tcp-ok', {})),
    ).resolves.toBeTruthy();
  });

  it('rejects a Gateway whose TCP listener sets hostname (CEL rule)', async () => {
    const r = await rejection(
      create(
        kc,
        ns,
        'gateways',
        gateway('tcp-hostname', { hostname: 'db.example.com' }),
      ),
    );
    expect(r.code).toBe(422);
    expect(r.message).toContain(
      "hostname must not be specified for protocols ['TCP', 'UDP']",
    );
  });

  it('refuses to install pre-v1.5 Gateway API CRDs over v1.6 (safe-upgrades ValidatingAdmissionPolicy)', async () => {
    const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const name = `tcproutes.${GW_GROUP}`;
    // The policy becomes active shortly after it is created; poll until it denies.
    let last: { code: number; message: string } | undefined;
    for (let i = 0; i < 40 && last?.code !== 422; i++) {
      const current = await ext.readCustomResourceDefinition({ name });
      const downgraded = {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: {
            ...current.metadata!.annotations,
            'gateway.networking.k8s.io/bundle-version': 'v1.3.0',
          },
        },
      };
      last = await rejection(
        ext.replaceCustomResourceDefinition({ name, body: downgraded }),
      ).catch(() => undefined);
      if (!last) {
        // accepted before the policy was active: put the real annotation back and retry
        const again = await ext.readCustomResourceDefinition({ name });
        again.metadata!.annotations![
          'gateway.networking.k8s.io/bundle-version'
        ] = 'v1.6.0';
        await ext.replaceCustomResourceDefinition({ name, body: again });
        await new Promise(r => setTimeout(r, 250));
      }
    }
    expect(last?.code).toBe(422);
    expect(last?.message).toContain(
      'Installing CRDs with version before v1.5.0 is prohibited',
    );
  });

  it('enforces RBAC: a fresh service account token may not list Gateways', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: 'nobody' } },
    });
    const tr = await core.createNamespacedServiceAccountToken({
      namespace: ns,
      name: 'nobody',
      body: {
        spec: { audiences: [], expirationSeconds: 600 },
      } as k8s.AuthenticationV1TokenRequest,
    });
    const sa = new k8s.KubeConfig();
    sa.loadFromOptions({
      clusters: [kc.getCurrentCluster()!],
      users: [{ name: 'nobody', token: tr.status!.token }],
      contexts: [
        {
          name: 'nobody',
          cluster: kc.getCurrentCluster()!.name,
          user: 'nobody',
        },
      ],
      currentContext: 'nobody',
    });
    const r = await rejection(
      sa.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({
        group: GW_GROUP,
        version: 'v1',
        namespace: ns,
        plural: 'gateways',
      }),
    );
    expect(r.code).toBe(403);
    expect(r.message).toContain(`system:serviceaccount:${ns}:nobody`);
  });
});

describe(`profile ${PROFILE_V13} (Gateway API v1.3.0 experimental + LBC v2.17.1 CRDs)`, () => {
  const kc = kubeConfigFor(PROFILE_V13);
  let ns: string;
  beforeAll(async () => {
    ns = await newNamespace(kc);
  });

  it('serves TCPRoute as v1alpha2 only and LBC gateway.k8s.aws v1beta1 only', async () => {
    expect(await servedVersions(kc, GW_GROUP, 'TCPRoute')).toEqual([
      'v1alpha2',
    ]);
    expect(
      await servedVersions(kc, 'gateway.k8s.aws', 'LoadBalancerConfiguration'),
    ).toEqual(['v1beta1']);
  });

  it("rejects the well-known tutorial's gateway.networking.k8s.io/v1 TCPRoute (version not served)", async () => {
    const r = await rejection(
      create(kc, ns, 'tcproutes', tcpRoute('v1', 'tutorial', 1)),
    );
    expect(r.code).toBe(404);
  });

  it('accepts the same TCPRoute as v1alpha2', async () => {
    const created: any = await create(
      kc,
      ns,
      'tcproutes',
      tcpRoute('v1alpha2', 'tutorial', 1),
    );
    expect(created.apiVersion).toBe(`${GW_GROUP}/v1alpha2`);
    expect(created.metadata.uid).toBeTruthy();
  });

  it('keeps the two profiles apart (separate etcd prefixes)', async () => {
    const other = kubeConfigFor(PROFILE_V16).makeApiClient(k8s.CoreV1Api);
    const r = await rejection(other.readNamespace({ name: ns }));
    expect(r.code).toBe(404);
  });
});
