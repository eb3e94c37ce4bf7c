import { Entity } from '@backstage/catalog-model';
import {
  EntityGatewaysResponse,
  gatewayStatusSignalChannel,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  ENDPOINT_SLICES,
  GATEWAY_CLASSES,
  GATEWAYS,
  L4_ROUTES,
  LOAD_BALANCER_CONFIGURATIONS,
  ResourceSpec,
  SERVICE_NAME_LABEL,
  TARGET_GROUP_BINDINGS,
  TGB_STACK_NAME_LABEL,
  TGB_STACK_NAMESPACE_LABEL,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  EVENT_API_ORDER,
  EVENT_RESOURCES,
  EventApi,
} from '../../kubernetes/events/eventSelectors';
import { KubeObject } from '../../kubernetes/types';
import {
  WatchedChange,
  WatchedChangeListener,
} from '../../kubernetes/watch/WatchCache';
import { LiveStatusNotifier } from './LiveStatusNotifier';

const route: KubeObject = {
  metadata: { name: 'r', namespace: 'apps' },
  spec: {
    parentRefs: [{ name: 'gw' }],
    rules: [{ backendRefs: [{ name: 'backend', port: 3000 }] }],
  },
};

/** A notifier over a fake watch cache holding `held` objects (by plural) besides the route. */
function setup(
  held: Record<string, KubeObject[]> = {},
  timing: { minIntervalMs?: number } = {},
) {
  let listener: WatchedChangeListener = () => {};
  const objects: Record<string, KubeObject[]> = {
    [L4_ROUTES.TCPRoute.plural]: [route],
    ...held,
  };
  const cache = {
    onChange: (l: WatchedChangeListener) => {
      listener = l;
      return () => {};
    },
    objectsOf: (_cluster: string, spec: ResourceSpec) =>
      objects[spec.plural] ?? [],
    sizes: () => ({ c1: Object.values(objects).flat().length }),
  };
  const published: Array<{
    channel: string;
    message: unknown;
    forgottenBefore: string[];
  }> = [];
  const forgotten: string[] = [];
  const notifier = new LiveStatusNotifier({
    cache,
    signals: {
      publish: async s => {
        published.push({
          channel: s.channel,
          message: s.message,
          forgottenBefore: [...forgotten],
        });
      },
    },
    debounceMs: 10,
    minIntervalMs: timing.minIntervalMs ?? 0,
  });
  notifier.onStale(key => {
    forgotten.push(key);
  });
  const change = (
    resource: ResourceSpec,
    object: KubeObject,
    cluster = 'c1',
    type: WatchedChange['type'] = 'modified',
  ) => listener({ cluster, resource, object, type });
  const settle = () => new Promise(r => setTimeout(r, 30));
  const signalled = () => published.map(p => p.channel);
  return { notifier, change, settle, published, forgotten, signalled };
}

const annotated = (
  entityRef: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: entityRef.split('/')[1], annotations },
});

/** An entity naming its Gateways (cluster c1, namespace apps). */
const naming = (entityRef: string, ...names: string[]) =>
  annotated(entityRef, {
    'aws-gateway.io/gateways': names.map(n => `c1/apps/${n}`).join(','),
  });

const answer = (entityRef: string, ...names: string[]) =>
  ({
    entityRef,
    configured: true,
    errors: [],
    fetchedAt: new Date().toISOString(),
    gateways: names.map(name => ({
      gateway: { cluster: 'c1', namespace: 'apps', name },
    })),
  } as unknown as EntityGatewaysResponse);

const PAYMENTS = 'component:default/payments';

/** The payments entity names Gateway c1/apps/gw, and its answer showed it. */
const answerPayments = (notifier: LiveStatusNotifier) =>
  notifier.answered(
    'key-payments',
    answer(PAYMENTS, 'gw'),
    naming(PAYMENTS, 'gw'),
  );

const obj = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'apps', labels },
});

describe('LiveStatusNotifier', () => {
  it('signals the entities whose answers showed a changed Gateway, once per burst, after forgetting their answers', async () => {
    const { notifier, change, settle, published, forgotten } = setup();
    notifier.answered(
      'key-payments',
      answer('component:default/Payments', 'gw'),
      naming('component:default/Payments', 'gw'),
    );
    notifier.answered(
      'key-other',
      answer('component:default/other', 'elsewhere'),
      naming('component:default/other', 'elsewhere'),
    );

    change(GATEWAYS, obj('gw'));
    change(GATEWAYS, obj('gw'));
    await settle();
    expect(forgotten).toEqual(['key-payments']);
    // The cached answer is forgotten before the card is told.
    expect(published).toEqual([
      {
        channel: gatewayStatusSignalChannel(PAYMENTS),
        message: { type: 'gateway-status-changed' },
        forgottenBefore: ['key-payments'],
      },
    ]);
    notifier.stop();
  });

  it.each([
    ['a route attached to it', L4_ROUTES.TCPRoute, route],
    [
      'its TargetGroupBinding',
      TARGET_GROUP_BINDINGS,
      obj('tgb', {
        [TGB_STACK_NAMESPACE_LABEL]: 'apps',
        [TGB_STACK_NAME_LABEL]: 'gw',
      }),
    ],
    [
      "a backend Service's EndpointSlice",
      ENDPOINT_SLICES,
      obj('backend-abc', { [SERVICE_NAME_LABEL]: 'backend' }),
    ],
    [
      'a configuration in its namespace',
      LOAD_BALANCER_CONFIGURATIONS,
      obj('lbc'),
    ],
  ])('follows %s to the Gateway', async (_what, resource, object) => {
    const { notifier, change, settle, published } = setup();
    answerPayments(notifier);
    change(resource, object);
    await settle();
    expect(published).toHaveLength(1);
    notifier.stop();
  });

  it('ignores changes of other Gateways, other clusters, and malformed objects', async () => {
    const { notifier, change, settle, published } = setup();
    answerPayments(notifier);
    change(GATEWAYS, obj('another'));
    change(GATEWAYS, obj('gw'), 'c2');
    change(ENDPOINT_SLICES, obj('unrelated', { [SERVICE_NAME_LABEL]: 'x' }));
    change(TARGET_GROUP_BINDINGS, obj('tgb-without-labels'));
    change(L4_ROUTES.TCPRoute, {
      metadata: { name: 'bad', namespace: 'apps' },
      spec: { parentRefs: 'gw', rules: [null] },
    });
    await settle();
    expect(published).toEqual([]);
    notifier.stop();
  });

  it('signals an entity at most once per interval, the changes of the interval after it (a storm costs one read per interval)', async () => {
    // The clock and timers are the test's: on a stalled machine the real
    // interval could end during the storm, and its second signal come early.
    jest.useFakeTimers();
    try {
      const { notifier, change, signalled } = setup(
        {},
        { minIntervalMs: 1_000 },
      );
      answerPayments(notifier);
      change(GATEWAYS, obj('gw'));
      await jest.advanceTimersByTimeAsync(30);
      expect(signalled()).toHaveLength(1);
      for (let i = 0; i < 5; i++) {
        change(GATEWAYS, obj('gw'));
        await jest.advanceTimersByTimeAsync(30);
      }
      // Just before the interval ends: still one.
      await jest.advanceTimersByTimeAsync(800);
      expect(signalled()).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(100);
      expect(signalled()).toHaveLength(2);
      notifier.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  describe('an entity that selects its Gateways by label', () => {
    const ref = 'component:default/orders';
    const byLabel = annotated(ref, {
      'backstage.io/kubernetes-label-selector': 'app=orders',
      'backstage.io/kubernetes-namespace': 'apps',
    });
    const gateway = (name: string, labels: Record<string, string>) =>
      obj(name, labels);

    it.each([
      [
        'a Gateway its selector selects is created (its last answer showed none)',
        [],
        GATEWAYS,
        gateway('new-gw', { app: 'orders' }),
      ],
      [
        'a Gateway it showed is labelled out of the selector (or deleted)',
        ['gw'],
        GATEWAYS,
        gateway('gw', { app: 'something-else' }),
      ],
      [
        'a route of a Gateway it showed changes, as for a named one',
        ['gw'],
        L4_ROUTES.TCPRoute,
        route,
      ],
    ])('is signalled when %s', async (_when, shown, resource, object) => {
      const { notifier, change, settle, signalled } = setup();
      notifier.answered('key-orders', answer(ref, ...shown), byLabel);
      change(resource, object);
      await settle();
      expect(signalled()).toEqual([gatewayStatusSignalChannel(ref)]);
      notifier.stop();
    });

    it('is signalled when a Gateway its selector selected, not linked to it (so not shown), is labelled out', async () => {
      const unlinked = gateway('unlinked', { app: 'orders' });
      const { notifier, change, settle, signalled } = setup({
        [GATEWAYS.plural]: [unlinked],
      });
      notifier.answered('key-orders', answer(ref), byLabel);
      change(GATEWAYS, gateway('unlinked', { app: 'another' }));
      await settle();
      expect(signalled()).toEqual([gatewayStatusSignalChannel(ref)]);
      notifier.stop();
    });

    it('is not signalled for Gateways outside its selector or its namespace', async () => {
      const { notifier, change, settle, signalled } = setup();
      notifier.answered('key-orders', answer(ref), byLabel);
      change(GATEWAYS, gateway('other', { app: 'payments' }));
      change(GATEWAYS, {
        metadata: {
          name: 'x',
          namespace: 'elsewhere',
          labels: { app: 'orders' },
        },
      });
      change(GATEWAYS, { metadata: { name: 'unlabelled', namespace: 'apps' } });
      await settle();
      expect(signalled()).toEqual([]);
      notifier.stop();
    });

    it('follows the selector the catalog has now: a changed selector starts afresh', async () => {
      const { notifier, change, settle, signalled } = setup();
      notifier.answered('key-orders-v1', answer(ref, 'gw'), byLabel);
      const relabelled = annotated(ref, {
        'backstage.io/kubernetes-label-selector': 'app=orders-v2',
      });
      notifier.answered('key-orders-v2', answer(ref), relabelled);
      // Neither the old selector nor the old answer's Gateway concerns it now.
      change(GATEWAYS, gateway('gw', { app: 'orders' }));
      await settle();
      expect(signalled()).toEqual([]);
      change(GATEWAYS, {
        metadata: { name: 'b', namespace: 'ns', labels: { app: 'orders-v2' } },
      });
      await settle();
      expect(signalled()).toEqual([gatewayStatusSignalChannel(ref)]);
      notifier.stop();
    });
  });

  it('is signalled when a Gateway it names but could not find is created', async () => {
    const { notifier, change, settle, signalled } = setup();
    notifier.answered(
      'key-payments',
      answer('component:default/payments'),
      naming('component:default/payments', 'gw'),
    );
    change(GATEWAYS, obj('gw'), 'c2');
    change(GATEWAYS, obj('gw'));
    await settle();
    expect(signalled()).toEqual([gatewayStatusSignalChannel(PAYMENTS)]);
    notifier.stop();
  });

  it("signals an entity once for all its answers (its users' own), forgetting each", async () => {
    const { notifier, change, settle, published } = setup();
    const payments = naming('component:default/payments', 'gw');
    for (const key of ['key-payments', 'key-payments:user:a']) {
      notifier.answered(
        key,
        answer('component:default/payments', 'gw'),
        payments,
      );
    }
    change(GATEWAYS, obj('gw'));
    await settle();
    expect(published).toEqual([
      expect.objectContaining({
        forgottenBefore: ['key-payments', 'key-payments:user:a'],
      }),
    ]);
    notifier.stop();
  });

  it('follows a GatewayClass to its Gateways', async () => {
    const classed = { ...obj('gw'), spec: { gatewayClassName: 'aws-nlb' } };
    const { notifier, change, settle, signalled } = setup({
      [GATEWAYS.plural]: [classed],
    });
    answerPayments(notifier);
    change(GATEWAY_CLASSES, { metadata: { name: 'other-class' } });
    await settle();
    expect(signalled()).toEqual([]);
    change(GATEWAY_CLASSES, { metadata: { name: 'aws-nlb' } });
    await settle();
    expect(signalled()).toHaveLength(1);
    notifier.stop();
  });

  describe('Warning events', () => {
    const binding = obj('tgb', {
      [TGB_STACK_NAMESPACE_LABEL]: 'apps',
      [TGB_STACK_NAME_LABEL]: 'gw',
    });
    const event = (
      api: EventApi,
      regarding: Record<string, unknown>,
      type = 'Warning',
      namespace = 'apps',
    ): KubeObject =>
      ({
        metadata: { name: `ev-${Math.random()}`, namespace },
        type,
        reason: 'FailedDeployModel',
        [api === 'v1' ? 'involvedObject' : 'regarding']: regarding,
      } as KubeObject);
    const about = (kind: string, name: string, namespace = 'apps') => ({
      kind,
      name,
      namespace,
    });

    it.each([
      ['the Gateway', about('Gateway', 'gw')],
      ['its route', about('TCPRoute', 'r')],
      ['its TargetGroupBinding', about('TargetGroupBinding', 'tgb')],
      [
        'a configuration in its namespace',
        about('TargetGroupConfiguration', 'backend'),
      ],
    ])(
      'about %s signal its entities, in either events API',
      async (_what, regarding) => {
        for (const api of EVENT_API_ORDER) {
          const { notifier, change, settle, signalled } = setup({
            [TARGET_GROUP_BINDINGS.plural]: [binding],
          });
          answerPayments(notifier);
          change(EVENT_RESOURCES[api], event(api, regarding));
          await settle();
          expect(signalled()).toEqual([gatewayStatusSignalChannel(PAYMENTS)]);
          notifier.stop();
        }
      },
    );

    it.each(EVENT_API_ORDER)(
      "about the Gateway's GatewayClass (cluster-scoped: written in default) signal its entities, in %s",
      async api => {
        const classed = {
          ...obj('gw'),
          spec: { gatewayClassName: 'aws-nlb' },
        };
        const gatewayClass = { metadata: { name: 'aws-nlb' } };
        const { notifier, change, settle, signalled } = setup({
          [GATEWAYS.plural]: [classed],
          [GATEWAY_CLASSES.plural]: [gatewayClass],
        });
        answerPayments(notifier);
        const aboutClass = (name: string, namespace: string) =>
          change(
            EVENT_RESOURCES[api],
            event(api, { kind: 'GatewayClass', name }, 'Warning', namespace),
          );
        // Another class's, and one written outside default: nothing.
        aboutClass('other', 'default');
        aboutClass('aws-nlb', 'apps');
        await settle();
        expect(signalled()).toEqual([]);
        // As client-go's recorders write it: no namespace in the object reference.
        aboutClass('aws-nlb', 'default');
        await settle();
        expect(signalled()).toEqual([gatewayStatusSignalChannel(PAYMENTS)]);
        notifier.stop();
      },
    );

    it('signal when written or updated, not when deleted (expired: the row goes at the next read)', async () => {
      const { notifier, change, settle, signalled } = setup();
      answerPayments(notifier);
      const events = EVENT_RESOURCES['events.k8s.io/v1'];
      const warning = event('events.k8s.io/v1', about('Gateway', 'gw'));
      change(events, warning, 'c1', 'deleted');
      await settle();
      expect(signalled()).toEqual([]);
      change(events, warning, 'c1', 'added');
      await settle();
      change(events, warning, 'c1', 'modified');
      await settle();
      expect(signalled()).toEqual([
        gatewayStatusSignalChannel(PAYMENTS),
        gatewayStatusSignalChannel(PAYMENTS),
      ]);
      notifier.stop();
    });

    it('signal nothing when Normal, about another Gateway, about an object outside their own namespace, or malformed', async () => {
      const { notifier, change, settle, signalled } = setup();
      answerPayments(notifier);
      const events = EVENT_RESOURCES['events.k8s.io/v1'];
      change(
        events,
        event('events.k8s.io/v1', about('Gateway', 'gw'), 'Normal'),
      );
      change(events, event('events.k8s.io/v1', about('Gateway', 'other')));
      // Written in namespace "intruder", claiming to be about apps/gw.
      change(
        events,
        event(
          'events.k8s.io/v1',
          about('Gateway', 'gw'),
          'Warning',
          'intruder',
        ),
      );
      change(events, event('events.k8s.io/v1', about('Pod', 'gw')));
      change(
        events,
        event('events.k8s.io/v1', { kind: 'Gateway', name: ['gw'] }),
      );
      // A core event's subject is involvedObject, never regarding.
      change(
        EVENT_RESOURCES.v1,
        event('events.k8s.io/v1', about('Gateway', 'gw')),
      );
      await settle();
      expect(signalled()).toEqual([]);
      notifier.stop();
    });
  });
});
