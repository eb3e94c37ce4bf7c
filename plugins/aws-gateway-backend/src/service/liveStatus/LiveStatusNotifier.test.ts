import {
  EntityGatewaysResponse,
  gatewayStatusSignalChannel,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  ENDPOINT_SLICES,
  GATEWAYS,
  L4_ROUTES,
  LOAD_BALANCER_CONFIGURATIONS,
  ResourceSpec,
  SERVICE_NAME_LABEL,
  TARGET_GROUP_BINDINGS,
  TGB_STACK_NAME_LABEL,
  TGB_STACK_NAMESPACE_LABEL,
} from '@gateway-portal/plugin-aws-gateway-node';
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

function setup() {
  let listener: WatchedChangeListener = () => {};
  const routes: Record<string, KubeObject[]> = {
    [L4_ROUTES.TCPRoute.plural]: [route],
  };
  const cache = {
    onChange: (l: WatchedChangeListener) => {
      listener = l;
      return () => {};
    },
    objectsOf: (_cluster: string, spec: ResourceSpec) =>
      routes[spec.plural] ?? [],
  };
  const published: Array<{ channel: string; message: unknown }> = [];
  const forgotten: string[] = [];
  const notifier = new LiveStatusNotifier({
    cache,
    signals: {
      publish: async s => {
        // The cached answer is forgotten before the card is told.
        expect(forgotten).toContain('key-payments');
        published.push({ channel: s.channel, message: s.message });
      },
    },
    debounceMs: 10,
  });
  notifier.onStale(key => {
    forgotten.push(key);
  });
  const change = (resource: ResourceSpec, object: KubeObject, cluster = 'c1') =>
    listener({ cluster, resource, object } as WatchedChange);
  const settle = () => new Promise(r => setTimeout(r, 30));
  return { notifier, change, settle, published, forgotten };
}

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

const obj = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'apps', labels },
});

describe('LiveStatusNotifier', () => {
  it('signals the entities whose answers showed a changed Gateway, once per burst, after forgetting their answers', async () => {
    const { notifier, change, settle, published, forgotten } = setup();
    notifier.answered(
      'key-payments',
      answer('component:default/Payments', 'gw'),
    );
    notifier.answered(
      'key-other',
      answer('component:default/other', 'elsewhere'),
    );

    change(GATEWAYS, obj('gw'));
    change(GATEWAYS, obj('gw'));
    await settle();
    expect(forgotten).toEqual(['key-payments']);
    expect(published).toEqual([
      {
        channel: gatewayStatusSignalChannel('component:default/payments'),
        message: { type: 'gateway-status-changed' },
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
    notifier.answered(
      'key-payments',
      answer('component:default/payments', 'gw'),
    );
    change(resource, object);
    await settle();
    expect(published).toHaveLength(1);
    notifier.stop();
  });

  it('ignores changes of other Gateways, other clusters, and malformed objects', async () => {
    const { notifier, change, settle, published } = setup();
    notifier.answered(
      'key-payments',
      answer('component:default/payments', 'gw'),
    );
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
});
