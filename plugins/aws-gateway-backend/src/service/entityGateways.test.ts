import { Entity } from '@backstage/catalog-model';
import {
  gatewayMatcher,
  gatewaySelectorFor,
  gatewayViewerOf,
  isGatewayLinked,
  selectorFingerprint,
} from './entityGateways';

const OWNERS = [
  { namespace: 'shop', owners: ['group:default/team-shop'] },
  {
    cluster: 'prod',
    namespace: 'payments',
    owners: ['group:default/team-shop'],
  },
];

function entity(owner?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default' },
    spec: owner ? { owner } : {},
  };
}

function gateway(namespace: string, entityRef?: string) {
  return {
    metadata: {
      name: 'gw',
      namespace,
      ...(entityRef
        ? { annotations: { 'aws-gateway.io/entity-ref': entityRef } }
        : {}),
    },
  };
}

describe('isGatewayLinked', () => {
  const viewer = gatewayViewerOf(
    entity('team-shop'),
    'component:default/orders',
  );

  it.each([
    ['component:default/orders', true],
    ['Component:Default/Orders', true],
    ['orders', true],
    ['default/orders', true],
    ['component:default/orders-2', false],
    ['api:default/orders', false],
    ['component:other/orders', false],
    ['not a ref:::', false],
  ])('compares the entity-ref annotation %s as a parsed ref', (ref, linked) => {
    expect(isGatewayLinked(gateway('any', ref), 'dev', viewer, [])).toBe(
      linked,
    );
  });

  it("links a namespace configured for the entity's owner, in the configured cluster only", () => {
    expect(isGatewayLinked(gateway('shop'), 'dev', viewer, OWNERS)).toBe(true);
    expect(isGatewayLinked(gateway('payments'), 'prod', viewer, OWNERS)).toBe(
      true,
    );
    expect(isGatewayLinked(gateway('payments'), 'dev', viewer, OWNERS)).toBe(
      false,
    );
    expect(isGatewayLinked(gateway('other'), 'dev', viewer, OWNERS)).toBe(
      false,
    );
    const stranger = gatewayViewerOf(
      entity('group:default/team-other'),
      'component:default/orders',
    );
    expect(isGatewayLinked(gateway('shop'), 'dev', stranger, OWNERS)).toBe(
      false,
    );
    const ownerless = gatewayViewerOf(entity(), 'component:default/orders');
    expect(isGatewayLinked(gateway('shop'), 'dev', ownerless, OWNERS)).toBe(
      false,
    );
  });

  it("does not let a Gateway in a namespace configured for one team claim another team's entity (red team)", () => {
    // team-other writes its own namespace and names team-shop's entity: the phishing DNS name stays off its page.
    const owners = [
      ...OWNERS,
      { namespace: 'other', owners: ['group:default/team-other'] },
    ];
    for (const ref of [
      'component:default/orders',
      'Component:Default/Orders',
      ' orders ',
    ]) {
      expect(
        isGatewayLinked(gateway('other', ref), 'dev', viewer, owners),
      ).toBe(false);
    }
    // The namespace is configured in another cluster only: the annotation is all there is to go by.
    const elsewhere = [
      {
        cluster: 'prod',
        namespace: 'other',
        owners: ['group:default/team-other'],
      },
    ];
    expect(
      isGatewayLinked(
        gateway('other', 'component:default/orders'),
        'dev',
        viewer,
        elsewhere,
      ),
    ).toBe(true);
    // In the owner's own namespace the annotation of a sibling entity does not hide it.
    expect(
      isGatewayLinked(
        gateway('shop', 'component:default/payments'),
        'dev',
        viewer,
        OWNERS,
      ),
    ).toBe(true);
  });
});

describe('gatewaySelectorFor', () => {
  const annotated = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', annotations },
    spec: {},
  });

  it("selects by the Kubernetes plugin's label selector instead of the id label, written from its parsed parts", () => {
    const selected = annotated({
      'backstage.io/kubernetes-id': 'orders',
      'backstage.io/kubernetes-label-selector':
        'app.kubernetes.io/name in (orders, orders-v2), tier != db',
      'backstage.io/kubernetes-namespace': 'shop',
    });
    expect(gatewaySelectorFor(selected)).toEqual({
      type: 'label',
      labelSelector: 'app.kubernetes.io/name in (orders,orders-v2),tier!=db',
      namespace: 'shop',
    });
    expect(selectorFingerprint(selected)).toContain('tier != db');
  });

  it('keeps the id label when there is no selector', () => {
    expect(
      gatewaySelectorFor(annotated({ 'backstage.io/kubernetes-id': 'orders' })),
    ).toEqual({
      type: 'label',
      labelSelector: 'backstage.io/kubernetes-id=orders',
    });
  });

  it('refuses a selector that is not one, naming the annotation and why', () => {
    expect(
      gatewaySelectorFor(
        annotated({
          'backstage.io/kubernetes-label-selector': 'app=orders&limit=1',
        }),
      ),
    ).toEqual({
      type: 'invalid',
      message:
        'backstage.io/kubernetes-label-selector: not a Kubernetes label selector: "orders&limit=1" is not a label value',
    });
  });
});

describe('gatewayMatcher', () => {
  const gw = (
    cluster: string,
    namespace: string,
    name: string,
    labels?: Record<string, string>,
  ) => ({ cluster, namespace, name, labels });

  it('selects referenced Gateways by cluster, namespace and name (a reference without a cluster in every cluster)', () => {
    const selects = gatewayMatcher(
      gatewaySelectorFor({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'orders',
          annotations: {
            'aws-gateway.io/gateways': 'prod/shop/edge, shop/any',
          },
        },
      }),
    );
    expect(selects(gw('prod', 'shop', 'edge'))).toBe(true);
    expect(selects(gw('dev', 'shop', 'edge'))).toBe(false);
    expect(selects(gw('dev', 'shop', 'any'))).toBe(true);
    expect(selects(gw('prod', 'other', 'any'))).toBe(false);
  });

  it("selects by labels with the API server's semantics, in the entity's namespace only when it has one", () => {
    const selects = gatewayMatcher({
      type: 'label',
      labelSelector: 'app in (orders,orders-v2),tier!=db',
      namespace: 'shop',
    });
    expect(selects(gw('any', 'shop', 'a', { app: 'orders' }))).toBe(true);
    expect(
      selects(gw('any', 'shop', 'a', { app: 'orders-v2', tier: 'web' })),
    ).toBe(true);
    expect(selects(gw('any', 'shop', 'a', { app: 'orders', tier: 'db' }))).toBe(
      false,
    );
    expect(selects(gw('any', 'shop', 'a'))).toBe(false);
    expect(selects(gw('any', 'other', 'a', { app: 'orders' }))).toBe(false);
    const anywhere = gatewayMatcher({
      type: 'label',
      labelSelector: 'backstage.io/kubernetes-id=orders',
    });
    expect(
      anywhere(
        gw('any', 'other', 'a', { 'backstage.io/kubernetes-id': 'orders' }),
      ),
    ).toBe(true);
  });

  it('selects nothing for an entity without a selector or with an invalid one', () => {
    expect(gatewayMatcher({ type: 'none' })(gw('c', 'ns', 'gw', {}))).toBe(
      false,
    );
    expect(
      gatewayMatcher({ type: 'invalid', message: 'x' })(gw('c', 'ns', 'gw')),
    ).toBe(false);
  });
});
