import { Entity } from '@backstage/catalog-model';
import {
  endpointRowOf,
  filterEndpointRows,
  shortRef,
  sortEndpointRows,
} from './endpointRows';
import { gatewayResource } from './testing';

describe('endpointRowOf', () => {
  it('reads what the catalog module writes, and the relations the catalog made', () => {
    expect(endpointRowOf(gatewayResource({ name: 'web' }))).toEqual({
      ref: 'resource:default/prod-shop-web-0123456789',
      title: 'shop/web (prod)',
      cluster: 'prod',
      namespace: 'shop',
      name: 'web',
      dnsName: 'web.elb.eu-west-1.amazonaws.com',
      scheme: 'internet-facing',
      openToWorld: false,
      sourceRanges: ['203.0.113.0/24'],
      listeners: ['TCP:8080'],
      owner: 'group:default/team-a',
      component: 'component:default/web',
      state: 'programmed',
      consoleUrl:
        'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#LoadBalancer:loadBalancerArn=arn',
    });
  });

  it('shows no console link that is not an https AWS console address, and no unknown state', () => {
    for (const consoleUrl of [
      'data:text/html,<script>alert(1)</script>',
      'http://eu-west-1.console.aws.amazon.com/',
      'https://console.aws.amazon.com.evil.example/',
      'not a url',
    ]) {
      const row = endpointRowOf(
        gatewayResource({ name: 'web', consoleUrl, state: 'hacked' }),
      );
      expect(row.consoleUrl).toBeUndefined();
      expect(row.state).toBe('unknown');
    }
  });

  it('keeps "no source ranges" apart from an empty list', () => {
    const entity: Entity = gatewayResource({ name: 'web' });
    delete entity.metadata.annotations!['aws-gateway.io/source-ranges'];
    expect(endpointRowOf(entity).sourceRanges).toBeUndefined();
  });
});

describe('sortEndpointRows and filterEndpointRows', () => {
  const rows = [
    gatewayResource({ name: 'internal', scheme: 'internal', cluster: 'a' }),
    gatewayResource({ name: 'restricted', cluster: 'b' }),
    gatewayResource({
      name: 'open',
      openToWorld: true,
      cluster: 'c',
      owner: 'group:default/team-b',
    }),
  ].map(endpointRowOf);

  it('puts internet-facing endpoints first, open to the world before restricted', () => {
    expect(sortEndpointRows(rows).map(r => r.name)).toEqual([
      'open',
      'restricted',
      'internal',
    ]);
  });

  it('filters by cluster, scheme and owner', () => {
    expect(filterEndpointRows(rows, { cluster: 'b' }).map(r => r.name)).toEqual(
      ['restricted'],
    );
    expect(
      filterEndpointRows(rows, { scheme: 'internal' }).map(r => r.name),
    ).toEqual(['internal']);
    expect(
      filterEndpointRows(rows, { owner: 'group:default/team-b' }).map(
        r => r.name,
      ),
    ).toEqual(['open']);
    expect(filterEndpointRows(rows, {})).toHaveLength(3);
  });
});

describe('shortRef', () => {
  it('drops the default kind and namespace', () => {
    expect(shortRef('group:default/team-a', 'group')).toBe('team-a');
    expect(shortRef('group:ops/team-a', 'group')).toBe('ops/team-a');
    expect(shortRef('user:default/jane', 'group')).toBe('user:jane');
  });
});
