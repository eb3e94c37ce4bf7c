import { Entity } from '@backstage/catalog-model';
import { gatewayViewerOf, isGatewayLinked } from './entityGateways';

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
});
