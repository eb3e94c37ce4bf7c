import { Entity } from '@backstage/catalog-model';
import {
  isAwsGatewayAvailable,
  normaliseEntityRef,
  parseGatewayReferences,
} from './entityRefs';

describe('parseGatewayReferences', () => {
  it('reads namespace/name and cluster/namespace/name, comma or newline separated', () => {
    expect(
      parseGatewayReferences('apps/public-tcp, prod-eu/apps/edge.v2\n\n'),
    ).toEqual([
      { namespace: 'apps', name: 'public-tcp' },
      { cluster: 'prod-eu', namespace: 'apps', name: 'edge.v2' },
    ]);
  });

  it.each([
    ['public-tcp', /"public-tcp" must be \[cluster\/\]namespace\/name/],
    ['a/b/c/d', /"a\/b\/c\/d" must be \[cluster\/\]namespace\/name/],
    [
      'Apps/gw',
      /namespace "Apps" in "Apps\/gw" must be a lower-case DNS label/,
    ],
    [
      'apps.v2/gw',
      /namespace "apps.v2" in "apps.v2\/gw" must be a lower-case DNS label/,
    ],
    [
      `${'a'.repeat(64)}/gw`,
      /namespace "a{64}" .* must be a lower-case DNS label/,
    ],
    ['apps/GW', /name "GW" in "apps\/GW" must be a lower-case DNS name/],
    [
      'apps/gw..x',
      /name "gw..x" in "apps\/gw..x" must be a lower-case DNS name/,
    ],
  ])('refuses %j naming the entry', (value, message) => {
    expect(() => parseGatewayReferences(value)).toThrow(message);
  });
});

describe('normaliseEntityRef', () => {
  const defaults = { defaultKind: 'group', defaultNamespace: 'default' };

  it('fills in the defaults and lower-cases', () => {
    expect(normaliseEntityRef('Team-A', defaults)).toBe('group:default/team-a');
    expect(normaliseEntityRef('User:Ops/Alice', defaults)).toBe(
      'user:ops/alice',
    );
  });

  it('does not trim: " team-a" is not team-a', () => {
    expect(normaliseEntityRef(' team-a', defaults)).toBe(
      'group:default/ team-a',
    );
  });

  it('throws on what is not an entity ref', () => {
    expect(() => normaliseEntityRef('group:default/', defaults)).toThrow(
      /was not on the form/,
    );
    expect(() => normaliseEntityRef('', defaults)).toThrow(/must not be empty/);
  });
});

describe('isAwsGatewayAvailable', () => {
  const entity = (annotations: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'backend', annotations },
  });

  it('applies to entities naming Gateways or carrying a Kubernetes id', () => {
    expect(
      isAwsGatewayAvailable(entity({ 'aws-gateway.io/gateways': 'apps/gw' })),
    ).toBe(true);
    expect(
      isAwsGatewayAvailable(
        entity({ 'backstage.io/kubernetes-id': 'backend' }),
      ),
    ).toBe(true);
    expect(isAwsGatewayAvailable(entity({}))).toBe(false);
  });
});
