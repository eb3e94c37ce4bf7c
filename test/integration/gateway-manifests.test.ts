/**
 * Integration: rendered gateway manifests against a real kube-apiserver with
 * the real CRDs, in both controller profiles — profile detection from the
 * discovery API, server-side dry run (CRD schemas and CEL rules), Service
 * checks, and the render action reaching the cluster through the Kubernetes
 * plugin's cluster configuration.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ConfigReader } from '@backstage/config';
import yaml from 'yaml';
import {
  CONTROLLER_PROFILES,
  ControllerProfileId,
} from '@gateway-portal/plugin-aws-gateway-common';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  detectControllerProfile,
  profileMismatch,
  readGatewayGuardrails,
  renderEndpointManifests,
  serverSideDryRun,
} from '@gateway-portal/plugin-aws-gateway-node';
import { createRenderEndpointAction } from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { kubeConfigFor, PROFILE_V13, PROFILE_V16, uniqueName } from '../peers';
import {
  classicEndpointIn,
  classicRenderInput,
} from './support/classicEndpoint';
import { ownershipRuleOff } from './support/ownership';

const PROFILES: Array<[string, ControllerProfileId]> = [
  [PROFILE_V16, 'lbc-v3.5'],
  [PROFILE_V13, 'lbc-v2.17'],
];

async function createNamespaceWithService(kc: k8s.KubeConfig) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const namespace = uniqueName('gw');
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await core.createNamespacedService({
    namespace,
    body: {
      metadata: { name: 'backend' },
      spec: {
        type: 'ClusterIP',
        ports: [{ port: 3000, targetPort: 3000 as any }],
      },
    },
  });
  return namespace;
}

describe.each(PROFILES)('gateway manifests on %s', (kubeProfile, profileId) => {
  let kc: k8s.KubeConfig;
  let namespace: string;
  const profile = CONTROLLER_PROFILES[profileId];

  beforeAll(async () => {
    kc = kubeConfigFor(kubeProfile);
    namespace = await createNamespaceWithService(kc);
  });

  it(`detects ${profileId} from the discovery API`, async () => {
    const detected = await detectControllerProfile(kc);
    expect(detected.problem).toBeUndefined();
    expect(detected.profile?.id).toBe(profileId);
    expect(detected.routeApiVersions.TCPRoute).toContain(
      profile.routeApiVersions.TCPRoute,
    );
  });

  it('reports why the other profile would be rejected', async () => {
    const other =
      CONTROLLER_PROFILES[profileId === 'lbc-v3.5' ? 'lbc-v2.17' : 'lbc-v3.5'];
    const mismatch = profileMismatch(other, await detectControllerProfile(kc), [
      'TCPRoute',
    ]);
    expect(mismatch).toMatch(
      profileId === 'lbc-v2.17'
        ? /TCPRoute gateway\.networking\.k8s\.io\/v1 is not served \(the cluster serves gateway\.networking\.k8s\.io\/v1alpha2\)/
        : // The v1.6 standard channel serves no v1alpha2 routes.
          /TCPRoute gateway\.networking\.k8s\.io\/v1alpha2 is not served/,
    );
  });

  it('passes the server-side dry run and persists nothing', async () => {
    const manifests = renderEndpointManifests(
      classicEndpointIn(namespace),
      profile,
    ).map(r => r.manifest);
    expect(await serverSideDryRun(kc, manifests)).toEqual([]);
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const gateways = await objects.list(
      'gateway.networking.k8s.io/v1',
      'Gateway',
      namespace,
    );
    expect(gateways.items).toEqual([]);
  });

  it('dry-runs with a live abort signal, and stops at once when the caller has given up', async () => {
    const manifests = renderEndpointManifests(
      classicEndpointIn(namespace),
      profile,
    ).map(r => r.manifest);
    expect(
      await serverSideDryRun(kc, manifests, new AbortController().signal),
    ).toEqual([]);
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(
      serverSideDryRun(kc, manifests, cancelled.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
    // A request in flight is aborted too: the signal reaches the HTTP call.
    const midway = new AbortController();
    const pending = serverSideDryRun(kc, manifests, midway.signal);
    midway.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('gets the API server to reject a hostname on a TCP listener', async () => {
    const gateway = renderEndpointManifests(
      classicEndpointIn(namespace),
      profile,
    )
      .map(r => r.manifest)
      .find(m => m.kind === 'Gateway')!;
    gateway.spec!.listeners[0].hostname = 'app.example.com';
    const issues = await serverSideDryRun(kc, [gateway]);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].rule).toBe('server-dry-run');
    expect(issues.map(i => i.message).join('\n')).toMatch(
      /Gateway\/aws-tcp-gateway: .*hostname/i,
    );
  });

  it('gets the API server to reject a lower-case health-check protocol', async () => {
    const tgc = renderEndpointManifests(classicEndpointIn(namespace), profile)
      .map(r => r.manifest)
      .find(m => m.kind === 'TargetGroupConfiguration')!;
    tgc.spec!.defaultConfiguration.healthCheckConfig = {
      healthCheckProtocol: 'tcp',
    };
    const issues = await serverSideDryRun(kc, [tgc]);
    expect(issues.map(i => i.message).join('\n')).toMatch(
      /healthCheckProtocol.*Unsupported value: "tcp"/,
    );
  });

  it('reports a route apiVersion the cluster does not serve', async () => {
    const wrong =
      profileId === 'lbc-v3.5'
        ? 'gateway.networking.k8s.io/v1alpha2'
        : 'gateway.networking.k8s.io/v1';
    const route = {
      ...renderEndpointManifests(classicEndpointIn(namespace), profile)
        .map(r => r.manifest)
        .find(m => m.kind === 'TCPRoute')!,
      apiVersion: wrong,
    };
    expect(await serverSideDryRun(kc, [route])).toEqual([
      {
        field: 'TCPRoute/tcp-backend-aws: apiVersion',
        rule: 'api-version-not-served',
        message: `TCPRoute/tcp-backend-aws: the cluster does not serve TCPRoute in ${wrong}`,
      },
    ]);
  });

  it('reports a namespace that does not exist', async () => {
    const manifests = renderEndpointManifests(
      classicEndpointIn(uniqueName('missing')),
      profile,
    ).map(r => r.manifest);
    const issues = await serverSideDryRun(kc, manifests.slice(0, 1));
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/namespaces? ".*" not found/);
  });
});

describe('aws-gateway:endpoint:render against the clusters', () => {
  let workspace: string;
  let ns16: string;
  let ns13: string;

  function action(allowedClusters = ['v16', 'v13']) {
    // The peers' API servers directly (the Kubernetes plugin's proxy is
    // is covered by KubernetesPluginClusters.test.ts).
    const clusters = new InMemoryKubernetesClusters(
      Object.entries({ v16: PROFILE_V16, v13: PROFILE_V13 }).map(
        ([name, p]) => ({ name, kubeConfig: async () => kubeConfigFor(p) }),
      ),
    );
    const config = new ConfigReader({
      awsGateway: { provisioning: { allowedClusters } },
    });
    return createRenderEndpointAction({
      guardrails: readGatewayGuardrails(config),
      clusters,
      ownership: ownershipRuleOff(),
    });
  }

  // What a template sends; some cases send what the action's schema refuses.
  type RenderEndpointInput = Parameters<
    ReturnType<typeof createRenderEndpointAction>['handler']
  >[0]['input'];
  const input = (namespace: string, extra: Record<string, unknown> = {}) =>
    ({
      ...classicRenderInput(namespace),
      serverDryRun: true,
      outputDir: 'manifests',
      ...extra,
    } as RenderEndpointInput);

  beforeAll(async () => {
    ns16 = await createNamespaceWithService(kubeConfigFor(PROFILE_V16));
    ns13 = await createNamespaceWithService(kubeConfigFor(PROFILE_V13));
  });
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'render-it-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const files = () =>
    fs.existsSync(path.join(workspace, 'manifests'))
      ? fs.readdirSync(path.join(workspace, 'manifests'))
      : [];

  it.each([
    ['v16', () => ns16, 'lbc-v3.5', 'gateway.networking.k8s.io/v1'],
    ['v13', () => ns13, 'lbc-v2.17', 'gateway.networking.k8s.io/v1alpha2'],
  ])(
    'renders the classic example for cluster %s with the detected profile',
    async (cluster, ns, expectedProfile, routeApiVersion) => {
      const ctx = createMockActionContext({
        input: input(ns(), { cluster }),
        workspacePath: workspace,
      });
      await action().handler(ctx);
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(outputs).toMatchObject({
        controllerProfile: expectedProfile,
        controllerProfileSource: 'cluster',
        routeApiVersion,
        serverDryRun: 'passed',
        gatewayRef: `${cluster}/${ns()}/aws-tcp-gateway`,
      });
      const route = yaml.parse(
        fs.readFileSync(
          path.join(workspace, 'manifests/tcproute-tcp-backend-aws.yaml'),
          'utf8',
        ),
      );
      expect(route.apiVersion).toBe(routeApiVersion);
    },
  );

  it.each([
    [
      'instance targets for a ClusterIP Service',
      { targetType: 'instance' },
      /targetType: Service .*backend is of type ClusterIP.*\[instance-target-clusterip\]/,
    ],
    [
      'a Service that does not exist',
      {
        routes: [
          {
            name: 'r',
            listener: 'tcp-app',
            backends: [{ service: 'nope', port: 3000 }],
          },
        ],
      },
      /routes\[0\]\.backends\[0\]\.service: Service .*\/nope does not exist.*\[service-not-found\]/,
    ],
    [
      'a port the Service does not have',
      {
        routes: [
          {
            name: 'r',
            listener: 'tcp-app',
            backends: [{ service: 'backend', port: 3001 }],
          },
        ],
      },
      /routes\[0\]\.backends\[0\]\.port 3001 is not a port of Service.*\[service-port-not-found\]/,
    ],
    [
      'the v1.6 profile on the v1.3 cluster',
      { controllerProfile: 'lbc-v3.5' },
      /controllerProfile: "lbc-v3\.5" does not match cluster v13: TCPRoute gateway\.networking\.k8s\.io\/v1 is not served/,
    ],
  ])(
    'refuses %s on cluster v13 and writes nothing',
    async (_name, change, message) => {
      const ctx = createMockActionContext({
        input: input(ns13, { cluster: 'v13', ...change }),
        workspacePath: workspace,
      });
      await expect(action().handler(ctx)).rejects.toThrow(message);
      expect(files()).toEqual([]);
    },
  );

  it('refuses a configured cluster that the guardrails do not list', async () => {
    const ctx = createMockActionContext({
      input: input(ns16, { cluster: 'v16' }),
      workspacePath: workspace,
    });
    await expect(action(['v13']).handler(ctx)).rejects.toThrow(
      'cluster: "v16" is not allowed',
    );
    expect(files()).toEqual([]);
  });

  it('refuses a cluster the Kubernetes plugin does not configure', async () => {
    const ctx = createMockActionContext({
      input: input(ns16, { cluster: 'elsewhere' }),
      workspacePath: workspace,
    });
    await expect(action(['elsewhere']).handler(ctx)).rejects.toThrow(
      /cluster: The Kubernetes plugin does not know cluster "elsewhere"/,
    );
  });
});
