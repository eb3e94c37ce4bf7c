/**
 * Integration: the controller's own words on the card. The controller
 * stand-in writes its Events (core v1, as controller-runtime's recorder does)
 * into the real kube-apiserver; the test writes others through both events
 * APIs (duplicates, another controller's, an attacker's); the status service,
 * wired as the backend wires it, reads them back per object by field
 * selector, as the admin and as an identity with exactly the documented
 * ClusterRole, with and without the events grants.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  GatewayEvents,
  GatewayStatus,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  CLASSIC_GATEWAY_CLASS,
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import {
  FakeController,
  LBC_NLB_CONTROLLER,
  MESSAGES,
} from '../fixtures/controller';
import { L4Objects } from '../fixtures/l4Objects';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { eventually } from './support/eventually';
import { serviceAccountAccess } from './support/serviceAccountAccess';
import { GetEntityGateways, statusServiceFor } from './support/statusService';

const ENTITY = 'component:default/events';
const STATUS_READER_YAML = path.resolve(
  __dirname,
  '../../docs/install/rbac/status-reader.yaml',
);

interface WatchedStatusService {
  get: GetEntityGateways;
  /** Its direct (API-server) calls so far, by resource plural. */
  direct: string[];
  stop(): Promise<void>;
}

/** The status service with its watch cache, counting the calls it makes to the API server directly. */
function watchedStatusService(
  kc: k8s.KubeConfig,
  clusterName: string,
  firstSyncWaitSeconds?: number,
  retryMaxSeconds?: number,
): WatchedStatusService {
  const hooks: Array<() => void | Promise<void>> = [];
  const direct: string[] = [];
  const get = statusServiceFor(kc, clusterName, ENTITY, {
    watch: { firstSyncWaitSeconds, retryMaxSeconds },
    lifecycle: { addShutdownHook: hook => void hooks.push(hook) },
    kubernetes: client => ({
      async connect(cluster, options) {
        const connection = await client.connect(cluster, options);
        return {
          list: (resource, listOptions) => {
            direct.push(resource.plural);
            return connection.list(resource, listOptions);
          },
          get: (resource, namespace, name) => {
            direct.push(resource.plural);
            return connection.get(resource, namespace, name);
          },
        };
      },
    }),
  });
  return {
    get,
    direct,
    stop: async () => {
      for (const hook of hooks) await hook();
    },
  };
}

describe('gateway events on the card (gateway-api-v1.6)', () => {
  const clusterName = uniqueName('events');
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let objects: k8s.KubernetesObjectApi;
  let controller: FakeController;
  let elbv2: ElasticLoadBalancingV2Client;
  let namespace: string;
  let o: L4Objects;
  let get: GetEntityGateways;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    kc = kubeConfigFor(PROFILE_V16);
    core = kc.makeApiClient(k8s.CoreV1Api);
    objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    ({ controller, elbv2 } = await startFakeController(kc, clusterName, 'v1'));
    namespace = uniqueName('events');
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await ensureClassicGatewayClass(kc);
    o = new L4Objects({
      namespace,
      routeVersion: 'v1',
      gatewayClassName: CLASSIC_GATEWAY_CLASS,
      entityRef: ENTITY,
    });
    get = statusServiceFor(kc, clusterName, ENTITY);
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    elbv2?.destroy();
  });

  async function statusOf(
    name: string,
    read: GetEntityGateways = get,
  ): Promise<GatewayStatus> {
    const res = await read({
      'aws-gateway.io/gateways': `test/${namespace}/${name}`,
    });
    expect(res.errors).toEqual([]);
    expect(res.gateways).toHaveLength(1);
    return res.gateways[0];
  }

  async function programmed(name: string): Promise<k8s.KubernetesObject> {
    await programClassicGateway(kc, controller, {
      namespace,
      name,
      routeVersion: 'v1',
      entityRef: ENTITY,
      id: name,
      ips: ['192.0.2.71'],
    });
    return objects.read({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name, namespace },
    });
  }

  /** A core v1 Event about `object`, as client-go's recorder writes one. */
  async function coreEvent(
    object: k8s.KubernetesObject,
    event: { reason: string; message: string; count?: number; at: string },
  ): Promise<void> {
    await core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `${object.metadata!.name}.${uniqueName('e')}` },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata!.name,
          namespace,
          uid: object.metadata!.uid,
        },
        type: 'Warning',
        reason: event.reason,
        message: event.message,
        count: event.count ?? 1,
        firstTimestamp: new Date(event.at),
        lastTimestamp: new Date(event.at),
        source: { component: 'gateway' },
      },
    });
  }

  it("instance targets on a ClusterIP Service: the controller's FailedBuildModel first, merged with its count, with the targetType fix", async () => {
    const name = 'instance';
    await objects.create(
      o.gateway(name, [{ name: 'tcp-6000', port: 6000, protocol: 'TCP' }]),
    );
    await controller.reconcileOnce(namespace, name);
    for (const object of [
      o.route('TCPRoute', name, { gateway: name, sectionName: 'tcp-6000' }, [
        { name: 'instance-app', port: 6000 },
      ]),
      ...o.workload('instance-app', 6000, 6000),
    ])
      await objects.create(object);
    await controller.reconcile(namespace, name);
    await controller.reconcile(namespace, name); // requeued: the same failure again

    const gw = await statusOf(name);

    expect(gw.state).toBe('error');
    expect(gw.errors).toEqual([]);
    expect(gw.events?.availability).toBe('read');
    expect(gw.events?.api).toBe('events.k8s.io/v1');
    expect(gw.events?.items[0]).toEqual({
      type: 'Warning',
      reason: 'FailedBuildModel',
      message: `Failed build model due to ${MESSAGES.instanceTargetPortEmpty}`,
      object: { kind: 'Gateway', namespace, name },
      count: 2,
      firstSeen: expect.any(String),
      lastSeen: expect.any(String),
      reportingController: 'gateway',
      fix: expect.stringContaining('targetType: ip'),
    });
    expect(
      gw.events?.items.filter(e => e.reason === 'FailedBuildModel'),
    ).toHaveLength(1);
  });

  it("merges duplicates across events, reads both APIs and the routes' events, newest first, and nothing about other objects", async () => {
    const name = 'mixed';
    const gateway = await programmed(name);
    const route = await objects.read({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name, namespace },
    });
    const denied =
      'Failed deploy model due to operation error Elastic Load Balancing v2: CreateListener, api error AccessDenied: User is not authorized to perform: elasticloadbalancing:CreateListener';
    await coreEvent(gateway, {
      reason: 'FailedDeployModel',
      message: denied,
      count: 2,
      at: '2026-01-01T10:00:00Z',
    });
    await coreEvent(gateway, {
      reason: 'FailedDeployModel',
      message: denied,
      count: 3,
      at: '2026-01-01T11:00:00Z',
    });
    // Another controller, through events.k8s.io/v1 (as newer recorders write).
    await kc.makeApiClient(k8s.EventsV1Api).createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `${name}.${uniqueName('ev1')}` },
        eventTime: new k8s.V1MicroTime('2026-01-01T12:00:00.000000Z'),
        reportingController: 'example.com/route-checker',
        reportingInstance: 'route-checker-0',
        action: 'Check',
        type: 'Normal',
        reason: 'RouteChecked',
        note: 'The route was checked',
        regarding: {
          apiVersion: route.apiVersion,
          kind: 'TCPRoute',
          name,
          namespace,
          uid: route.metadata!.uid,
        },
      },
    });
    // About another object of the namespace: not this gateway's.
    await coreEvent(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' } },
      { reason: 'Unrelated', message: 'not ours', at: '2026-01-01T13:00:00Z' },
    );

    const gw = await statusOf(name);

    expect(gw.state).toBe('programmed');
    const items = gw.events!.items;
    expect(items.map(e => [e.object.kind, e.reason])).toEqual([
      ['Gateway', 'SuccessfullyReconciled'],
      ['TCPRoute', 'RouteChecked'],
      ['Gateway', 'FailedDeployModel'],
    ]);
    expect(items[1]).toMatchObject({
      type: 'Normal',
      message: 'The route was checked',
      reportingController: 'example.com/route-checker',
      lastSeen: '2026-01-01T12:00:00.000Z',
    });
    expect(items[2]).toMatchObject({
      count: 5,
      firstSeen: '2026-01-01T10:00:00.000Z',
      lastSeen: '2026-01-01T11:00:00.000Z',
      fix: expect.stringContaining('IAM policy step'),
    });
  });

  it("keeps an attacker's event text plain, one line, without addresses or tokens, and short", async () => {
    const name = 'attacked';
    const gateway = await programmed(name);
    await coreEvent(gateway, {
      reason: 'Injected\u0007',
      message: `<script>alert(1)</script><img src=x onerror=alert(2)>\nsee https://10.1.2.3:6443/api?token=abc Bearer eyJsecret ${'A'.repeat(
        100_000,
      )}`,
      at: '2026-01-01T10:00:00Z',
    });

    const injected = (await statusOf(name)).events!.items.find(e =>
      e.reason.startsWith('Injected'),
    )!;

    expect(injected.reason).toBe('Injected');
    expect(injected.message.startsWith('<script>alert(1)</script>')).toBe(true);
    expect(injected.message).not.toMatch(/\n|10\.1\.2\.3|eyJsecret|abc/);
    expect(injected.message.length).toBeLessThanOrEqual(401);
  });

  describe('as an identity with exactly the documented status-reader ClusterRole', () => {
    const documented = k8s
      .loadAllYaml(fs.readFileSync(STATUS_READER_YAML, 'utf8'))
      .find(
        (d: { kind?: string }) => d.kind === 'ClusterRole',
      ) as k8s.V1ClusterRole;
    const rbac = () => kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    let roleName: string;
    let readerConfig: k8s.KubeConfig;

    beforeAll(async () => {
      const reader = await serviceAccountAccess(kc, namespace, 'status-reader');
      readerConfig = reader.kubeConfig;
      roleName = uniqueName('events-reader');
      await rbac().createClusterRole({
        body: { metadata: { name: roleName }, rules: documented.rules },
      });
      await rbac().createClusterRoleBinding({
        body: {
          metadata: { name: roleName },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: roleName,
          },
          subjects: [reader.subject],
        },
      });
      cleanups.push(
        () => rbac().deleteClusterRoleBinding({ name: roleName }),
        () => rbac().deleteClusterRole({ name: roleName }),
      );
      await programmed('rbac');
    });

    /** The events part once the role's rules are `rules` (RBAC takes a moment to apply). */
    async function eventsWith(
      rules: k8s.V1PolicyRule[],
      expected: Partial<GatewayEvents>,
    ): Promise<GatewayStatus> {
      await rbac().replaceClusterRole({
        name: roleName,
        body: { metadata: { name: roleName }, rules },
      });
      const deadline = Date.now() + 20_000;
      for (;;) {
        // A fresh service each time: the events API choice is remembered per cluster.
        const gw = await statusOf(
          'rbac',
          statusServiceFor(readerConfig, clusterName, ENTITY),
        );
        if (
          gw.events?.availability === expected.availability &&
          gw.events?.api === expected.api
        )
          return gw;
        if (Date.now() > deadline) {
          expect(gw.events).toMatchObject(expected);
        }
        await new Promise(r => setTimeout(r, 500));
      }
    }

    const withoutEvents = (group?: string) =>
      documented.rules!.filter(
        r =>
          !r.resources?.includes('events') ||
          (group !== undefined && !r.apiGroups?.includes(group)),
      );

    it('reads events.k8s.io/v1 with the documented rules', async () => {
      const gw = await eventsWith(documented.rules!, {
        availability: 'read',
        api: 'events.k8s.io/v1',
      });
      expect(gw.events!.items.map(e => e.reason)).toContain(
        'SuccessfullyReconciled',
      );
    });

    it('falls back to core v1 events when only those are allowed', async () => {
      const gw = await eventsWith(withoutEvents('events.k8s.io'), {
        availability: 'read',
        api: 'v1',
      });
      expect(gw.events!.items.map(e => e.reason)).toContain(
        'SuccessfullyReconciled',
      );
    });

    it('without either grant: the rest of the status is whole, and the events say they are not readable', async () => {
      const gw = await eventsWith(withoutEvents(), {
        availability: 'not-readable',
        api: undefined,
      });
      expect(gw.errors).toEqual([]);
      expect(gw.state).toBe('programmed');
      expect(gw.events).toEqual({ availability: 'not-readable', items: [] });
    });

    it('watches core v1 events (involvedObject.kind field selector) when only those are allowed, with no direct call once warm', async () => {
      const direct = await eventsWith(withoutEvents('events.k8s.io'), {
        availability: 'read',
        api: 'v1',
      });
      const watched = watchedStatusService(readerConfig, clusterName, 30);
      try {
        const read = await eventually(
          async () => {
            const before = watched.direct.length;
            const gw = await statusOf('rbac', watched.get);
            expect(watched.direct.slice(before)).toEqual([]);
            return gw;
          },
          20_000,
          200,
        );
        expect(read.events).toEqual(direct.events);
      } finally {
        await watched.stop();
      }
    });

    it('watches core v1 events when events.k8s.io may be listed but not watched: no note, no direct call once warm; its watch granted, back on events.k8s.io within 1.2 × retryMaxSeconds', async () => {
      const listOnly = [
        ...withoutEvents('events.k8s.io'),
        {
          apiGroups: ['events.k8s.io'],
          resources: ['events'],
          verbs: ['list'],
        },
      ];
      // Read directly, events.k8s.io answers (its list is allowed).
      const direct = await eventsWith(listOnly, {
        availability: 'read',
        api: 'events.k8s.io/v1',
      });
      const retryMaxSeconds = 2;
      const watched = watchedStatusService(
        readerConfig,
        clusterName,
        30,
        retryMaxSeconds,
      );
      try {
        const res = await eventually(
          async () => {
            const before = watched.direct.length;
            const answer = await watched.get({
              'aws-gateway.io/gateways': `test/${namespace}/rbac`,
            });
            expect(watched.direct.slice(before)).toEqual([]);
            // 'v1': the cache holds core events, and says events.k8s.io is not served.
            expect(answer.gateways[0].events?.api).toBe('v1');
            return answer;
          },
          20_000,
          200,
        );
        expect(res.errors).toEqual([]);
        expect(res.gateways[0].events?.items).toEqual(direct.events?.items);

        // The platform team grants the watch: the running cache asks
        // events.k8s.io again after retryMaxSeconds, no restart.
        await rbac().replaceClusterRole({
          name: roleName,
          body: { metadata: { name: roleName }, rules: documented.rules },
        });
        const granted = Date.now();
        const back = await eventually(
          async () => {
            const before = watched.direct.length;
            const answer = await watched.get({
              'aws-gateway.io/gateways': `test/${namespace}/rbac`,
            });
            expect(watched.direct.slice(before)).toEqual([]);
            expect(answer.gateways[0].events?.api).toBe('events.k8s.io/v1');
            return answer;
          },
          20_000,
          200,
        );
        // RBAC reaches the authorizer within a moment; the move within the bound.
        expect(Date.now() - granted).toBeLessThan(
          1.2 * retryMaxSeconds * 1000 + 3_000,
        );
        expect(back.errors).toEqual([]);
        expect(back.gateways[0].events?.items).toEqual(direct.events?.items);
      } finally {
        await watched.stop();
      }
    });
  });

  describe('from the watch cache', () => {
    let watched: WatchedStatusService;

    beforeAll(() => {
      // Generous: the first read must be answered by the sync, even on a loaded machine.
      watched = watchedStatusService(kc, clusterName, 30);
    });

    afterAll(() => watched.stop());

    /** A status read through the watch cache, and the direct calls it made. */
    async function watchedRead(name: string) {
      const before = watched.direct.length;
      const gw = await statusOf(name, watched.get);
      return { gw, calls: watched.direct.slice(before) };
    }

    it('a cold read waits for the watches to sync and answers everything from them, as the direct reads do', async () => {
      const cold = await watchedRead('mixed');
      expect(cold.calls).toEqual([]);
      for (const name of ['instance', 'mixed', 'attacked']) {
        const fromWatch = await watchedRead(name);
        expect([name, fromWatch.calls]).toEqual([name, []]);
        expect(fromWatch.gw.events!.items.length).toBeGreaterThan(0);
        const fromApiServer = await statusOf(name);
        expect([name, fromWatch.gw.events]).toEqual([
          name,
          fromApiServer.events,
        ]);
      }
    });

    it("shows a GatewayClass's events on the card of each of its Gateways (written in default, as client-go's recorders do), merged, newest first, with the fix; the same from the watch", async () => {
      const className = uniqueName('events-class');
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const gatewayClass = (await custom.createClusterCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        plural: 'gatewayclasses',
        body: {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'GatewayClass',
          metadata: { name: className },
          spec: {
            controllerName: LBC_NLB_CONTROLLER,
            parametersRef: {
              group: 'gateway.k8s.aws',
              kind: 'LoadBalancerConfiguration',
              name: 'missing',
              namespace,
            },
          },
        },
      })) as k8s.KubernetesObject;
      cleanups.push(() =>
        custom.deleteClusterCustomObject({
          group: 'gateway.networking.k8s.io',
          version: 'v1',
          plural: 'gatewayclasses',
          name: className,
        }),
      );
      const classed = new L4Objects({
        namespace,
        routeVersion: 'v1',
        gatewayClassName: className,
        entityRef: ENTITY,
      });
      for (const name of ['class-a', 'class-b']) {
        await objects.create(
          classed.gateway(name, [{ name: 'tcp', port: 7000, protocol: 'TCP' }]),
        );
      }
      await objects.create(
        o.gateway('other-class', [
          { name: 'tcp', port: 7000, protocol: 'TCP' },
        ]),
      );
      const notFound = `LoadBalancerConfiguration (missing,${namespace}) not found`;
      // The object reference of a cluster-scoped object has no namespace.
      const involvedObject = {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        name: className,
        uid: gatewayClass.metadata!.uid,
      };
      const inDefault = async (
        body: Omit<k8s.CoreV1Event, 'metadata'>,
        into = 'default',
      ) => {
        const name = `${className}.${uniqueName('e')}`;
        await core.createNamespacedEvent({
          namespace: into,
          body: { ...body, metadata: { name } },
        });
        cleanups.push(() =>
          core.deleteNamespacedEvent({ name, namespace: into }),
        );
      };
      const warning = (reason: string, message: string, at: string) => ({
        involvedObject,
        type: 'Warning',
        reason,
        message,
        count: 2,
        firstTimestamp: new Date(at),
        lastTimestamp: new Date(at),
        source: { component: 'gateway' },
        reportingComponent: 'gateway',
      });
      await inDefault(warning('NotFound', notFound, '2026-01-03T10:00:00Z'));
      await inDefault(warning('NotFound', notFound, '2026-01-03T11:00:00Z'));
      await inDefault(
        warning(
          'InvalidParameters',
          'parametersRef is invalid',
          '2026-01-03T12:00:00Z',
        ),
      );
      // Claiming the class from the team's namespace (the API server wants
      // the reference's namespace to be the event's): not where its events are.
      const forged = warning(
        'Forged',
        'not the controller',
        '2026-01-03T13:00:00Z',
      );
      await inDefault(
        { ...forged, involvedObject: { ...involvedObject, namespace } },
        namespace,
      );
      const classRows = (gw: GatewayStatus) =>
        gw.events!.items.filter(e => e.object.kind === 'GatewayClass');

      for (const name of ['class-a', 'class-b']) {
        const direct = await statusOf(name);
        expect(classRows(direct)).toEqual([
          {
            type: 'Warning',
            reason: 'InvalidParameters',
            message: 'parametersRef is invalid',
            object: { kind: 'GatewayClass', name: className },
            count: 2,
            firstSeen: '2026-01-03T12:00:00.000Z',
            lastSeen: '2026-01-03T12:00:00.000Z',
            reportingController: 'gateway',
            fix: expect.stringContaining('parametersRef must name'),
          },
          expect.objectContaining({
            reason: 'NotFound',
            message: notFound,
            count: 4,
            firstSeen: '2026-01-03T10:00:00.000Z',
            lastSeen: '2026-01-03T11:00:00.000Z',
            fix: expect.stringContaining(
              "a GatewayClass's parametersRef must give the configuration's namespace",
            ),
          }),
        ]);
        const fromWatch = await eventually(
          async () => {
            const read = await watchedRead(name);
            expect(read.calls).toEqual([]);
            expect(classRows(read.gw)).toHaveLength(2);
            return read.gw;
          },
          10_000,
          100,
        );
        expect(fromWatch.events).toEqual(direct.events);
      }
      expect(classRows(await statusOf('other-class'))).toEqual([]);
    });

    it('shows a new event on the next read, from the watch', async () => {
      const gateway = await objects.read({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'mixed', namespace },
      });
      await coreEvent(gateway, {
        reason: 'FailedDeployModel',
        message: 'Failed deploy model due to a new reason',
        at: '2026-01-02T10:00:00Z',
      });
      const shown = await eventually(
        async () => {
          const read = await watchedRead('mixed');
          expect(read.calls).toEqual([]);
          const row = read.gw.events!.items.find(e =>
            e.message.includes('a new reason'),
          );
          expect(row).toBeDefined();
          return row;
        },
        10_000,
        100,
      );
      expect(shown).toMatchObject({
        type: 'Warning',
        object: { kind: 'Gateway', namespace, name: 'mixed' },
      });
    });
  });
});
