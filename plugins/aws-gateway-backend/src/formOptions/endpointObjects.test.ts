import { SharedGateway } from '@gateway-portal/plugin-aws-gateway-node';
import { describeEndpoints } from './endpointObjects';

const managed = { 'app.kubernetes.io/managed-by': 'backstage-aws-gateway' };
const forOrders = { 'aws-gateway.io/entity-ref': 'component:default/orders' };

const shared = (over: Partial<SharedGateway> = {}): SharedGateway => ({
  id: 'dev/infra/shared',
  cluster: 'dev',
  namespace: 'infra',
  name: 'shared',
  gitops: {
    repoUrl: 'https://git.example.com/p/r',
    path: 'g.yaml',
    branch: 'main',
  },
  listenerPorts: [{ from: 20000, to: 20099 }],
  protocols: ['TCP', 'UDP'],
  tlsHostnames: [],
  allowedRoutes: { from: 'All' },
  ...over,
});

const selection = {
  cluster: 'dev',
  namespace: 'apps',
  entityRef: 'component:default/orders',
  sharedGateways: [shared()],
};

const gateway = (name: string, metadata: object = {}, spec: object = {}) => ({
  metadata: { name, labels: managed, annotations: forOrders, ...metadata },
  spec: { listeners: [{ name: 'tcp', port: 5432, protocol: 'TCP' }], ...spec },
});

const route = (name: string, spec: object, metadata: object = {}) => ({
  metadata: {
    name,
    labels: managed,
    annotations: { ...forOrders, 'aws-gateway.io/listener-port': '20001' },
    ...metadata,
  },
  spec,
});

const names = (listed: Parameters<typeof describeEndpoints>[0]) =>
  describeEndpoints(listed, selection).map(e => `${e.kind} ${e.name}`);

describe('describeEndpoints', () => {
  it("keeps only the entity's objects the portal wrote, compared as parsed refs", () => {
    expect(
      names({
        gateways: [
          gateway('mine'),
          // The same entity, written differently.
          gateway('short-ref', {
            annotations: { 'aws-gateway.io/entity-ref': ' Orders ' },
          }),
          gateway('other-entity', {
            annotations: {
              'aws-gateway.io/entity-ref': 'component:default/billing',
            },
          }),
          gateway('other-namespace-ref', {
            annotations: {
              'aws-gateway.io/entity-ref': 'component:team/orders',
            },
          }),
          // A ref that merely contains the entity's text.
          gateway('prefix', {
            annotations: {
              'aws-gateway.io/entity-ref': 'component:default/orders-v2',
            },
          }),
          gateway('not-a-ref', {
            annotations: { 'aws-gateway.io/entity-ref': 'a:b:c/d/e' },
          }),
          gateway('unlabelled', { labels: {} }),
          gateway('by-someone-else', {
            labels: { 'app.kubernetes.io/managed-by': 'helm' },
          }),
          gateway('no-claim', { annotations: {} }),
          gateway('elsewhere', { namespace: 'kube-system' }),
          gateway('going', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
        ],
        routes: [],
      }),
    ).toEqual(['gateway mine', 'gateway short-ref']);
  });

  it('leaves out malformed objects and listeners instead of echoing them', () => {
    const endpoints = describeEndpoints(
      {
        gateways: [
          null,
          'text',
          [],
          { metadata: null },
          gateway('Bad_Name'),
          gateway('../../etc'),
          { metadata: { name: 42, labels: managed, annotations: forOrders } },
          gateway(
            'listeners',
            {},
            {
              listeners: [
                { name: 'ok', port: 5432, protocol: 'TCP' },
                {
                  name: 'tls',
                  port: 443,
                  protocol: 'TLS',
                  hostname: 'db.apps.example.com',
                },
                {
                  name: 'no-host',
                  port: 444,
                  protocol: 'TLS',
                  hostname: '<script>',
                },
                { name: 'http', port: 80, protocol: 'HTTP' },
                { name: 'big', port: 70000, protocol: 'TCP' },
                { name: 'frac', port: 1.5, protocol: 'TCP' },
                { name: 'text-port', port: '53', protocol: 'UDP' },
                { name: 'Bad Name', port: 53, protocol: 'UDP' },
                'listener',
              ],
            },
          ),
          gateway('no-listeners', {}, { listeners: 'many' }),
        ],
        routes: [],
      },
      selection,
    );
    expect(endpoints).toEqual([
      {
        name: 'listeners',
        kind: 'gateway',
        listeners: [
          { name: 'ok', port: 5432, protocol: 'TCP' },
          {
            name: 'tls',
            port: 443,
            protocol: 'TLS',
            hostname: 'db.apps.example.com',
          },
          { name: 'no-host', port: 444, protocol: 'TLS' },
        ],
      },
      { name: 'no-listeners', kind: 'gateway', listeners: [] },
    ]);
  });

  it('caps the listeners of one Gateway at 64', () => {
    const listeners = Array.from({ length: 500 }, (_, i) => ({
      name: `l${i}`,
      port: 1000 + i,
      protocol: 'TCP',
    }));
    const [endpoint] = describeEndpoints(
      { gateways: [gateway('many', {}, { listeners })], routes: [] },
      selection,
    );
    expect(endpoint.listeners).toHaveLength(64);
  });

  it('lists a route as a shared listener only when its parent is a configured shared gateway of this cluster', () => {
    const toShared = {
      name: 'shared',
      namespace: 'infra',
      sectionName: 'apps-db',
    };
    expect(
      names({
        gateways: [],
        routes: [
          {
            kind: 'TCPRoute',
            items: [
              route('on-shared', { parentRefs: [toShared] }),
              route('explicit-defaults', {
                parentRefs: [
                  {
                    ...toShared,
                    group: 'gateway.networking.k8s.io',
                    kind: 'Gateway',
                  },
                ],
              }),
              // Its own Gateway (same namespace, no namespace in the ref): listed as that Gateway.
              route('own-gateway', { parentRefs: [{ name: 'db' }] }),
              // The shared gateway's name in another namespace, group or kind.
              route('same-name-here', { parentRefs: [{ name: 'shared' }] }),
              route('other-group', {
                parentRefs: [{ ...toShared, group: 'example.com' }],
              }),
              route('other-kind', {
                parentRefs: [{ ...toShared, kind: 'Service' }],
              }),
              route('no-parents', {}),
              route('parents-text', { parentRefs: 'shared' }),
              route('unlabelled', { parentRefs: [toShared] }, { labels: {} }),
              route(
                'other-entity',
                { parentRefs: [toShared] },
                {
                  annotations: { 'aws-gateway.io/entity-ref': 'billing' },
                },
              ),
            ],
          },
        ],
      }),
    ).toEqual([
      'shared-listener explicit-defaults',
      'shared-listener on-shared',
    ]);
    // Configured for another cluster: not a shared gateway here.
    expect(
      describeEndpoints(
        {
          gateways: [],
          routes: [
            {
              kind: 'TCPRoute',
              items: [route('on-shared', { parentRefs: [toShared] })],
            },
          ],
        },
        {
          ...selection,
          sharedGateways: [
            shared({ cluster: 'prod', id: 'prod/infra/shared' }),
          ],
        },
      ),
    ).toEqual([]);
  });

  it("describes a shared TLS listener with the route's host name and the shared gateway's allowed host names", () => {
    const tlsShared = shared({
      title: 'Shared NLB',
      protocols: ['TCP', 'TLS'],
      tlsHostnames: ['*.apps.example.com'],
    });
    const endpoints = describeEndpoints(
      {
        gateways: [],
        routes: [
          {
            kind: 'TLSRoute',
            items: [
              route('db-tls', {
                parentRefs: [
                  {
                    name: 'shared',
                    namespace: 'infra',
                    sectionName: 'apps-db-tls',
                  },
                ],
                hostnames: ['db.apps.example.com', 'second.apps.example.com'],
              }),
              route(
                'no-port',
                {
                  parentRefs: [{ name: 'shared', namespace: 'infra' }],
                  hostnames: ['bad host'],
                },
                {
                  annotations: {
                    ...forOrders,
                    'aws-gateway.io/listener-port': 'x',
                  },
                },
              ),
            ],
          },
          {
            kind: 'UDPRoute',
            items: [
              route('dns', {
                parentRefs: [
                  {
                    name: 'shared',
                    namespace: 'infra',
                    sectionName: 'dns',
                    port: 20053,
                  },
                ],
                hostnames: ['ignored.apps.example.com'],
              }),
            ],
          },
        ],
      },
      { ...selection, sharedGateways: [tlsShared] },
    );
    const sharedGateway = {
      id: 'dev/infra/shared',
      title: 'Shared NLB',
      protocols: ['TCP', 'TLS'],
      tlsHostnames: ['*.apps.example.com'],
    };
    expect(endpoints).toEqual([
      {
        name: 'db-tls',
        kind: 'shared-listener',
        listeners: [
          {
            name: 'apps-db-tls',
            port: 20001,
            protocol: 'TLS',
            hostname: 'db.apps.example.com',
          },
        ],
        sharedGateway,
      },
      {
        name: 'dns',
        kind: 'shared-listener',
        listeners: [{ name: 'dns', port: 20053, protocol: 'UDP' }],
        sharedGateway,
      },
      {
        name: 'no-port',
        kind: 'shared-listener',
        listeners: [],
        sharedGateway,
      },
    ]);
  });

  it('never lists a configured shared gateway as a Gateway of the component', () => {
    expect(
      describeEndpoints(
        { gateways: [gateway('shared')], routes: [] },
        {
          ...selection,
          sharedGateways: [
            shared({ namespace: 'apps', id: 'dev/apps/shared' }),
          ],
        },
      ),
    ).toEqual([]);
  });
});
