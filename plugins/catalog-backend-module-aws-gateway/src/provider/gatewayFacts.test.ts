import {
  clusterObjects,
  loadBalancerConfiguration,
  NLB_ARN,
  nlbGateway,
} from '../__testUtils__/clusterObjects';
import { gatewayFactsOf } from './gatewayFacts';

const EU_WEST_1 = { region: 'eu-west-1', accountId: '123456789012' };

describe('gatewayFactsOf', () => {
  it('reads an NLB Gateway: listeners, DNS name, scheme, ranges, state, trusted ARN', () => {
    const [facts] = gatewayFactsOf(
      'prod',
      clusterObjects([nlbGateway()]),
      EU_WEST_1,
    );
    expect(facts).toEqual({
      cluster: 'prod',
      namespace: 'shop',
      name: 'web',
      annotations: { 'aws-gateway.io/entity-ref': 'component:default/web' },
      listeners: [{ port: 8080, protocol: 'TCP' }],
      dnsName: 'k8s-shop-web-0123456789.elb.eu-west-1.amazonaws.com',
      scheme: 'internet-facing',
      sourceRanges: ['203.0.113.0/24'],
      rejectedSourceRanges: 0,
      openToWorld: false,
      state: 'programmed',
      loadBalancerArn: NLB_ARN,
    });
  });

  it('reads a deleted Gateway still held by the finalizer as being removed, whatever its conditions say', () => {
    const gateway = nlbGateway();
    const metadata = gateway.metadata as Record<string, unknown>;
    metadata.deletionTimestamp = '2026-11-26T10:00:00Z';
    const [facts] = gatewayFactsOf(
      'prod',
      clusterObjects([gateway]),
      EU_WEST_1,
    );
    expect(facts.state).toBe('removing');
  });

  it('skips Gateways of other controllers and Gateways whose identity is no Kubernetes name', () => {
    const facts = gatewayFactsOf(
      'prod',
      clusterObjects([
        nlbGateway({ className: 'other' }),
        nlbGateway({ className: 'missing' }),
        nlbGateway({ namespace: 'Shop' }),
        nlbGateway({ name: 'a/b' }),
        { metadata: 'nonsense', spec: [] },
      ]),
      EU_WEST_1,
    );
    expect(facts).toEqual([]);
  });

  it('keeps only L4 listeners with valid ports, once each', () => {
    const [facts] = gatewayFactsOf(
      'prod',
      clusterObjects([
        nlbGateway({
          listeners: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
            { port: 53, protocol: 'TCP' },
            { port: 80, protocol: 'HTTP' },
            { port: 0, protocol: 'TCP' },
            { port: 70000, protocol: 'TCP' },
            { port: '443', protocol: 'TLS' },
            { port: 1.5, protocol: 'TCP' },
            { port: 443, protocol: 'toString' },
          ],
        }),
      ]),
      EU_WEST_1,
    );
    expect(facts.listeners).toEqual([
      { port: 53, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ]);
  });

  it('ignores a status ARN outside the configured account and region, and without a configured location', () => {
    const foreign = NLB_ARN.replace('123456789012', '210987654321');
    const status = {
      conditions: [{ type: 'Programmed', status: 'True', message: foreign }],
    };
    const objects = clusterObjects([nlbGateway({ status })]);
    expect(gatewayFactsOf('prod', objects, EU_WEST_1)[0].loadBalancerArn).toBe(
      undefined,
    );
    expect(
      gatewayFactsOf('prod', clusterObjects([nlbGateway()]), undefined)[0]
        .loadBalancerArn,
    ).toBeUndefined();
  });

  it('keeps no address that is not a DNS name', () => {
    const status = {
      addresses: [
        { type: 'IPAddress', value: '10.0.0.1' },
        { type: 'Hostname', value: 'evil.example/path?x=1' },
        { type: 'Hostname', value: 'x'.repeat(300) },
      ],
    };
    const [facts] = gatewayFactsOf(
      'prod',
      clusterObjects([nlbGateway({ status })]),
      EU_WEST_1,
    );
    expect(facts.dnsName).toBeUndefined();
    expect(facts.state).toBe('unknown');
  });

  it('takes the GatewayClass configuration when the Gateway has none, and says when it is open to the world', () => {
    const objects = clusterObjects(
      [nlbGateway({ parametersRef: {} })],
      [
        loadBalancerConfiguration('kube-system', 'defaults', {
          scheme: 'internet-facing',
          sourceRanges: [
            '0.0.0.0/1',
            '128.0.0.0/1',
            'not-a-cidr',
            '10.0.0.1/8',
          ],
        }),
      ],
    );
    (objects.gatewayClasses[0].spec as Record<string, unknown>).parametersRef =
      {
        group: 'gateway.k8s.aws',
        kind: 'LoadBalancerConfiguration',
        name: 'defaults',
        namespace: 'kube-system',
      };
    const [facts] = gatewayFactsOf('prod', objects, EU_WEST_1);
    expect(facts).toMatchObject({
      scheme: 'internet-facing',
      sourceRanges: ['0.0.0.0/1', '128.0.0.0/1'],
      rejectedSourceRanges: 2,
      openToWorld: true,
    });
  });

  it('is internal by default, and internet-facing without ranges is open to the world', () => {
    const internal = gatewayFactsOf(
      'prod',
      clusterObjects([nlbGateway()], []),
      EU_WEST_1,
    )[0];
    expect(internal).toMatchObject({ scheme: 'internal', openToWorld: false });
    expect(internal.sourceRanges).toBeUndefined();
    const open = gatewayFactsOf(
      'prod',
      clusterObjects(
        [nlbGateway()],
        [
          loadBalancerConfiguration('shop', 'web-lb', {
            scheme: 'internet-facing',
            sourceRanges: [],
          }),
        ],
      ),
      EU_WEST_1,
    )[0];
    expect(open).toMatchObject({
      scheme: 'internet-facing',
      openToWorld: true,
    });
  });

  it('does not take a LoadBalancerConfiguration of another namespace for the Gateway', () => {
    const [facts] = gatewayFactsOf(
      'prod',
      clusterObjects(
        [nlbGateway()],
        [
          loadBalancerConfiguration('other', 'web-lb', {
            scheme: 'internet-facing',
          }),
        ],
      ),
      EU_WEST_1,
    );
    expect(facts.scheme).toBe('internal');
  });
});
