/**
 * Integration: live status (issue 14). A real backend (createBackend) with
 * the Kubernetes backend, the signals backend and aws-gateway; the peer
 * kube-apiserver (real Gateway API and LBC CRDs) is the Kubernetes plugin's
 * cluster, reached through a counting front, so every list, get and watch
 * the backend makes through the Kubernetes plugin's proxy is seen.
 *
 * Proves: the watch through the Kubernetes plugin's proxy works (it streams);
 * once warm, a status read makes no Kubernetes request at all; a controller
 * status change reaches a signal subscriber on the real signals WebSocket
 * within 2 s, and the next read shows it (through the Kubernetes plugin's
 * proxy, which needs watches to ask for no compression).
 */
import { createBackend } from '@backstage/backend-defaults';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityGatewaysResponse,
  gatewayStatusSignalChannel,
} from '@gateway-portal/plugin-aws-gateway-common';
import * as k8s from '@kubernetes/client-node';
import {
  CLASSIC_GATEWAY_CLASS,
  ensureClassicGatewayClass,
} from '../fixtures/classicGateway';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { freePort } from '../peers/cache';
import {
  KubeCountingProxy,
  startKubeCountingProxy,
} from './support/kubeCountingProxy';
import { eventually } from './support/eventually';
import { SignalsSubscriber } from './support/signalsSubscriber';
import {
  componentEntity,
  createEntityGateway,
  deleteGateway,
  entityGatewaysPath,
  GATEWAY_OBJECTS,
  KubernetesPluginCluster,
  statusBackendConfig,
} from './support/statusBackend';

const CLUSTER = 'live';
const NAMESPACE = 'default';
const GATEWAY = uniqueName('live-gw');
const ENTITY_REF = `component:default/${uniqueName('live-app')}`;

const entity = componentEntity(ENTITY_REF, {
  'aws-gateway.io/gateways': `${CLUSTER}/${NAMESPACE}/${GATEWAY}`,
});
/** An entity that selects its Gateways by label, as the Kubernetes plugin does. */
const LABELLED_REF = `component:default/${uniqueName('live-labelled')}`;
const LABELLED_GATEWAY = uniqueName('live-labelled-gw');
const APP_LABEL = 'app.kubernetes.io/name';
const labelledEntity = componentEntity(LABELLED_REF, {
  'backstage.io/kubernetes-label-selector': `${APP_LABEL}=${LABELLED_GATEWAY}`,
  'backstage.io/kubernetes-namespace': NAMESPACE,
});

/**
 * The backend's own services (startTestBackend's HTTP router predates the
 * WebSocket handlers the signals backend needs), with mock credentials,
 * permissions and catalog (`entities`), and `cluster` as the Kubernetes
 * plugin's one cluster; every request collects, so what the watch cache
 * saves is visible.
 */
async function startLiveBackend(
  entities: Entity[],
  cluster: KubernetesPluginCluster,
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const backend = createBackend();
  for (const feature of [
    import('@backstage/plugin-kubernetes-backend'),
    import('@backstage/plugin-signals-backend'),
    import('@gateway-portal/plugin-aws-gateway-backend'),
    catalogServiceMock.factory({ entities }),
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    mockServices.userInfo.factory(),
    mockServices.permissions.factory(),
    mockServices.rootLogger.factory({ level: 'warn' }),
    mockServices.rootConfig.factory({
      data: {
        backend: {
          baseUrl,
          listen: { port, host: '127.0.0.1' },
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        ...statusBackendConfig({ cluster, status: { cacheTtlSeconds: 0 } }),
      },
    }),
  ]) {
    backend.add(feature);
  }
  await backend.start();
  return {
    baseUrl,
    stop: () =>
      Promise.race([
        backend.stop(),
        new Promise<void>(r => setTimeout(r, 20_000).unref()),
      ]),
  };
}

/** The status API's answer for an entity, as a signed-in user reads it; anything but 200 throws. */
async function readStatus(
  baseUrl: string,
  entityRef: string,
): Promise<EntityGatewaysResponse> {
  const res = await fetch(
    `${baseUrl}/api/aws-gateway${entityGatewaysPath(entityRef)}`,
    { headers: { Authorization: mockCredentials.user.header() } },
  );
  if (res.status !== 200) {
    throw new Error(`status read: HTTP ${res.status} ${await res.text()}`);
  }
  return res.json();
}

/** The Kubernetes plugin's cluster `name`: the peer API server behind `front`, as the admin. */
function pluginCluster(
  name: string,
  front: KubeCountingProxy,
  kc: k8s.KubeConfig,
): KubernetesPluginCluster {
  return {
    name,
    url: front.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: kc.getCurrentUser()!.token,
  };
}

describe('live status through the Kubernetes plugin', () => {
  let kc: k8s.KubeConfig;
  let objects: k8s.CustomObjectsApi;
  let proxy: KubeCountingProxy;
  let baseUrl: string;
  let stop: () => Promise<void>;
  const signals = new SignalsSubscriber();
  const labelledSignals = new SignalsSubscriber();

  // Lists and gets of the objects the watch cache holds. The card's
  // Kubernetes Events are read directly (field-selected per object), so
  // they are not counted here.
  const objectReads = () =>
    proxy.reads().filter(r => !r.path.endsWith('/events'));

  const status = (entityRef = ENTITY_REF) => readStatus(baseUrl, entityRef);

  const programmed = async () =>
    (await status()).gateways[0]?.programmed?.status;

  async function setProgrammed(value: 'True' | 'False', reason: string) {
    await objects.patchNamespacedCustomObjectStatus(
      {
        ...GATEWAY_OBJECTS,
        namespace: NAMESPACE,
        name: GATEWAY,
        body: [
          {
            op: 'replace',
            path: '/status',
            value: {
              conditions: [
                {
                  type: 'Programmed',
                  status: value,
                  reason,
                  message: reason,
                  lastTransitionTime: new Date()
                    .toISOString()
                    .replace(/\.\d+Z$/, 'Z'),
                  observedGeneration: 1,
                },
              ],
            },
          },
        ],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
  }

  beforeAll(async () => {
    kc = kubeConfigFor(PROFILE_V16);
    objects = kc.makeApiClient(k8s.CustomObjectsApi);
    await createEntityGateway(objects, {
      namespace: NAMESPACE,
      name: GATEWAY,
      entityRef: ENTITY_REF,
    });
    proxy = await startKubeCountingProxy(kc);
    ({ baseUrl, stop } = await startLiveBackend(
      [entity, labelledEntity],
      pluginCluster(CLUSTER, proxy, kc),
    ));
    await signals.connect(
      baseUrl,
      gatewayStatusSignalChannel(ENTITY_REF),
      mockCredentials.user.header(),
    );
    await labelledSignals.connect(
      baseUrl,
      gatewayStatusSignalChannel(LABELLED_REF),
      mockCredentials.user.header(),
    );
  }, 120_000);

  afterAll(async () => {
    signals.close();
    labelledSignals.close();
    await stop?.();
    await proxy?.close();
    await deleteGateway(objects, NAMESPACE, GATEWAY);
    await deleteGateway(objects, NAMESPACE, LABELLED_GATEWAY);
  });

  it('watches through the proxy, and a warm read makes no Kubernetes request', async () => {
    // The first read is cold (the cluster list, the served versions, AWS):
    // on a loaded machine it may miss the deadline and finish in the background.
    const first = await eventually(() => status(), 60_000, 1_000);
    expect(first.gateways.map(g => g.gateway.name)).toEqual([GATEWAY]);
    // The first read of the cluster started its watches, through the proxy.
    await eventually(
      () =>
        expect(proxy.requests.filter(r => r.watch).map(r => r.path)).toEqual(
          expect.arrayContaining([
            `/apis/gateway.networking.k8s.io/v1/gateways`,
            `/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings`,
            `/apis/discovery.k8s.io/v1/endpointslices`,
            `/api/v1/services`,
          ]),
        ),
      30_000,
    );
    // Warm: reads until one costs no list or get (the watches have synced).
    const reads = await eventually(
      async () => {
        const before = objectReads().length;
        await status();
        const after = objectReads().length;
        expect(objectReads().slice(before)).toEqual([]);
        return after;
      },
      30_000,
      200,
    );
    for (let i = 0; i < 5; i++) await status();
    expect(objectReads().length).toBe(reads);
  }, 90_000);

  it("gets an accepted watch's verdict through the proxy at once when it asks for its initial events (the watch cache's first watches do)", async () => {
    // Behind the Kubernetes plugin's proxy a silent watch's headers wait for
    // its first event; initial events end with a BOOKMARK at once, so the
    // 200 comes with them: the first answer's refused-watch note needs no
    // grace for accepted watches on an API server with WatchList (1.36 here).
    const t0 = Date.now();
    const res = await fetch(
      `${baseUrl}/api/kubernetes/proxy/apis/gateway.networking.k8s.io/v1/namespaces/${NAMESPACE}/gateways?${new URLSearchParams(
        {
          watch: 'true',
          sendInitialEvents: 'true',
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: 'true',
          fieldSelector: `metadata.name=${GATEWAY}`,
          timeoutSeconds: '1',
        },
      )}`,
      {
        headers: {
          Authorization: mockCredentials.user.header(),
          'Backstage-Kubernetes-Cluster': CLUSTER,
          'Accept-Encoding': 'identity',
        },
        signal: AbortSignal.timeout(10_000),
      },
    );
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2_000);
    const events = (await res.text())
      .split('\n')
      .filter(Boolean)
      .map(
        line =>
          JSON.parse(line) as {
            type: string;
            object: k8s.KubernetesObject;
          },
      );
    expect(
      events.map(e => [
        e.type,
        e.type === 'BOOKMARK'
          ? e.object.metadata?.annotations?.['k8s.io/initial-events-end']
          : e.object.metadata?.name,
      ]),
    ).toEqual([
      ['ADDED', GATEWAY],
      ['BOOKMARK', 'true'],
    ]);
  });

  it('signals a controller status change within 2 s, and the next read shows it', async () => {
    expect(await programmed()).not.toBe('True');
    const before = signals.received.length;
    const changedAt = Date.now();
    await setProgrammed('True', 'Programmed');
    await eventually(
      () => expect(signals.received.length).toBeGreaterThan(before),
      2_000,
      20,
    );
    const signal = signals.received[before];
    expect(signal.channel).toBe(gatewayStatusSignalChannel(ENTITY_REF));
    expect(signal.at - changedAt).toBeLessThanOrEqual(2_000);
    const readsBefore = objectReads().length;
    expect(await programmed()).toBe('True');
    expect(objectReads().length).toBe(readsBefore);
  }, 30_000);

  /** Waits for the next signal on a channel (within the issue's 2 s). */
  async function nextSignal(
    subscriber: SignalsSubscriber,
    change: () => Promise<unknown>,
  ) {
    const before = subscriber.received.length;
    await change();
    await eventually(
      () => expect(subscriber.received.length).toBeGreaterThan(before),
      2_000,
      20,
    );
  }

  const labelledNames = async () =>
    (await status(LABELLED_REF)).gateways.map(g => g.gateway.name);

  it('signals a label-selected entity when a Gateway its selector selects is created, which its last answer could not show', async () => {
    // The entity's answer (warm: no Kubernetes request) shows no Gateway yet.
    await eventually(
      async () => {
        const before = objectReads().length;
        expect(await labelledNames()).toEqual([]);
        expect(objectReads().slice(before)).toEqual([]);
      },
      30_000,
      200,
    );
    const annotated = signals.received.length;
    await nextSignal(labelledSignals, () =>
      createEntityGateway(objects, {
        namespace: NAMESPACE,
        name: LABELLED_GATEWAY,
        entityRef: LABELLED_REF,
        labels: { [APP_LABEL]: LABELLED_GATEWAY },
      }),
    );
    expect(await labelledNames()).toEqual([LABELLED_GATEWAY]);
    // The entity that names its Gateway is not told of one it does not have.
    expect(signals.received.length).toBe(annotated);
  }, 60_000);

  it('signals a label-selected entity when its Gateway is relabelled out of the selector', async () => {
    expect(await labelledNames()).toEqual([LABELLED_GATEWAY]);
    await nextSignal(labelledSignals, () =>
      objects.patchNamespacedCustomObject(
        {
          ...GATEWAY_OBJECTS,
          namespace: NAMESPACE,
          name: LABELLED_GATEWAY,
          body: [
            {
              op: 'replace',
              path: '/metadata/labels',
              value: { [APP_LABEL]: 'another-app' },
            },
          ],
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
      ),
    );
    expect(await labelledNames()).toEqual([]);
  }, 30_000);

  it("signals a Gateway's entities when a Warning event about it is written, not for a Normal one, and the next read shows it", async () => {
    const events = kc.makeApiClient(k8s.EventsV1Api);
    // As the controller writes them: about this incarnation of the Gateway.
    const gateway = (await objects.getNamespacedCustomObject({
      ...GATEWAY_OBJECTS,
      namespace: NAMESPACE,
      name: GATEWAY,
    })) as { metadata: { uid: string } };
    const event = (type: 'Normal' | 'Warning', reason: string) =>
      events.createNamespacedEvent({
        namespace: NAMESPACE,
        body: {
          metadata: { name: `${GATEWAY}.${uniqueName('ev')}` },
          eventTime: new k8s.V1MicroTime(),
          reportingController: 'gateway.k8s.aws/nlb',
          reportingInstance: 'lbc-0',
          action: 'Deploy',
          type,
          reason,
          note: `${reason} for ${GATEWAY}`,
          regarding: {
            apiVersion: `${GATEWAY_OBJECTS.group}/${GATEWAY_OBJECTS.version}`,
            kind: 'Gateway',
            name: GATEWAY,
            namespace: NAMESPACE,
            uid: gateway.metadata.uid,
          },
        },
      });
    const before = signals.received.length;
    await event('Normal', 'SuccessfullyReconciled');
    await new Promise(r => setTimeout(r, 1_000));
    expect(signals.received.length).toBe(before);
    await nextSignal(signals, () => event('Warning', 'FailedDeployModel'));
    const [shown] = (await status()).gateways;
    expect(shown.events?.items).toContainEqual(
      expect.objectContaining({ type: 'Warning', reason: 'FailedDeployModel' }),
    );
  }, 30_000);

  it("signals a Gateway's entities when a Warning about its GatewayClass is written (in default, as client-go does), and not when that event is deleted (expired)", async () => {
    await ensureClassicGatewayClass(kc);
    const gatewayClass = (await objects.getClusterCustomObject({
      group: GATEWAY_OBJECTS.group,
      version: GATEWAY_OBJECTS.version,
      plural: 'gatewayclasses',
      name: CLASSIC_GATEWAY_CLASS,
    })) as { metadata: { uid: string } };
    // A class just made signals its Gateways' entities: let that pass first.
    await new Promise(r => setTimeout(r, 1_500));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const name = `${CLASSIC_GATEWAY_CLASS}.${uniqueName('ev')}`;
    const classRows = async () =>
      (await status()).gateways[0].events?.items.filter(
        e => e.object.kind === 'GatewayClass',
      );
    try {
      await nextSignal(signals, () =>
        core.createNamespacedEvent({
          namespace: 'default',
          body: {
            metadata: { name },
            involvedObject: {
              apiVersion: `${GATEWAY_OBJECTS.group}/${GATEWAY_OBJECTS.version}`,
              kind: 'GatewayClass',
              name: CLASSIC_GATEWAY_CLASS,
              uid: gatewayClass.metadata.uid,
            },
            type: 'Warning',
            reason: 'NotFound',
            message: 'LoadBalancerConfiguration (defaults,platform) not found',
            count: 1,
            firstTimestamp: new Date(),
            lastTimestamp: new Date(),
            source: { component: 'gateway' },
          },
        }),
      );
      expect(await classRows()).toEqual([
        expect.objectContaining({
          object: { kind: 'GatewayClass', name: CLASSIC_GATEWAY_CLASS },
          reason: 'NotFound',
          fix: expect.stringContaining('parametersRef'),
        }),
      ]);
    } finally {
      // Expired by the API server's TTL, or deleted: its row goes at the next read, unsignalled.
      const before = signals.received.length;
      await core.deleteNamespacedEvent({ name, namespace: 'default' });
      await new Promise(r => setTimeout(r, 1_500));
      expect(signals.received.length).toBe(before);
    }
    await eventually(async () => expect(await classRows()).toEqual([]), 5_000);
  }, 30_000);

  it("answers a warm read with no Kubernetes request at all, the card's events included", async () => {
    await eventually(
      async () => {
        const before = proxy.reads().length;
        await status();
        expect(proxy.reads().slice(before)).toEqual([]);
      },
      30_000,
      200,
    );
  }, 60_000);

  it('restarts a cut watch with backoff: a change made while it was down reaches the signal and the read once it has resynced', async () => {
    await setProgrammed('True', 'Programmed');
    await eventually(
      async () => expect(await programmed()).toBe('True'),
      10_000,
      100,
    );
    // That write's own signal has gone out (debounced) before the cut.
    await new Promise(r => setTimeout(r, 1_000));
    const before = signals.received.length;
    const watchesBefore = proxy.requests.filter(r => r.watch).length;
    // The connection to the API server is lost; the controller writes meanwhile.
    const resume = proxy.interrupt();
    await setProgrammed('False', 'Pending');
    await new Promise(r => setTimeout(r, 300));
    expect(signals.received.length).toBe(before);
    resume();
    await eventually(
      () => expect(signals.received.length).toBeGreaterThan(before),
      20_000,
      50,
    );
    expect(signals.received[before].channel).toBe(
      gatewayStatusSignalChannel(ENTITY_REF),
    );
    expect(proxy.requests.filter(r => r.watch).length).toBeGreaterThan(
      watchesBefore,
    );
    // Warm again: the change is read from the resynced watch.
    await eventually(
      async () => {
        const reads = proxy.reads().length;
        expect(await programmed()).toBe('False');
        expect(proxy.reads().length).toBe(reads);
      },
      20_000,
      200,
    );
  }, 60_000);
});

describe('live status of a cluster whose first lists are slow', () => {
  /**
   * A cluster-wide list held longer than the default deadline, as a cluster
   * with many EndpointSlices answers it; reads of one namespace are not held.
   */
  const SLOW_LIST = '/apis/discovery.k8s.io/v1/endpointslices';
  const SLOW_LIST_MS = 6_000;
  const CLUSTER_NAME = 'slow-lists';
  const gatewayName = uniqueName('slow-lists-gw');
  const entityRef = `component:default/${uniqueName('slow-lists-app')}`;
  let objects: k8s.CustomObjectsApi;
  let front: KubeCountingProxy;
  let backend: { baseUrl: string; stop: () => Promise<void> } | undefined;

  beforeAll(async () => {
    const kc = kubeConfigFor(PROFILE_V16);
    objects = kc.makeApiClient(k8s.CustomObjectsApi);
    await createEntityGateway(objects, {
      namespace: NAMESPACE,
      name: gatewayName,
      entityRef,
    });
    front = await startKubeCountingProxy(kc, {
      holdMs: r => (!r.watch && r.path === SLOW_LIST ? SLOW_LIST_MS : 0),
    });
    backend = await startLiveBackend(
      [
        componentEntity(entityRef, {
          'aws-gateway.io/gateways': `${CLUSTER_NAME}/${NAMESPACE}/${gatewayName}`,
        }),
      ],
      pluginCluster(CLUSTER_NAME, front, kc),
    );
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await front?.close();
    await deleteGateway(objects, NAMESPACE, gatewayName);
  });

  it('answers the first read within the default deadline (4 s), waiting neither for the held list nor for the watches', async () => {
    // Late, the one read would be a 503: nothing is known yet.
    const first = await readStatus(backend!.baseUrl, entityRef);
    expect(first.stale).toBeUndefined();
    expect(first.gateways.map(g => g.gateway.name)).toEqual([gatewayName]);
    expect(first.errors).toEqual([]);
    // It was the cluster's first read: the watch cache started then, and
    // had asked for the held list; no watch of it was asked before the answer.
    expect(front.requests).toContainEqual({
      method: 'GET',
      path: SLOW_LIST,
      watch: false,
    });
    expect(front.requests.filter(r => r.watch && r.path === SLOW_LIST)).toEqual(
      [],
    );
  }, 60_000);
});
