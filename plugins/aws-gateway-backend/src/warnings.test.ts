import { buildGatewayStatus } from './service/assemble/buildGatewayStatus';
import { GatewayFacts } from './service/assemble/gatewayFacts';
import {
  ConditionSummary,
  L4RouteKind,
} from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayListener, L4Route } from './kubernetes/types';

/**
 * The states the real AWS Load Balancer Controller v3.5.0 leaves behind
 * (observed against the test peers; see the shared notes on the real
 * controller), as the status backend reads them, and the warnings they get.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-west-2';
const NS = 'shop';
const NLB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/k8s-shop-edge-0123456789/50dc6c495c0c9188`;

const ACCEPTED_ROUTE: ConditionSummary[] = [
  { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs' },
  { type: 'Accepted', status: 'True', reason: 'Accepted' },
];

function tgArn(name: string): string {
  return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/73e2d6bc24d8a067`;
}

function route(
  kind: L4RouteKind,
  name: string,
  sectionName: string,
  backends: Array<{ name: string; port: number; weight?: number }>,
): L4Route {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind,
    metadata: { name, namespace: NS },
    spec: {
      parentRefs: [{ name: 'edge', sectionName }],
      rules: [{ backendRefs: backends }],
    },
    status: {
      parents: [
        {
          parentRef: { name: 'edge', sectionName },
          controllerName: 'gateway.k8s.aws/nlb',
          conditions: ACCEPTED_ROUTE,
        },
      ],
    },
  };
}

interface DeployedTargetGroup {
  name: string;
  protocol: string;
  port: number;
  /** The Service its TargetGroupBinding binds; none before the binding exists. */
  service?: string;
}

interface Setup {
  listeners: Array<GatewayListener & { tls?: { mode: string } }>;
  routes: L4Route[];
  /** NLB listeners by port, each forwarding to its target groups. */
  nlbListeners: Array<{
    port: number;
    protocol: string;
    targetGroups: DeployedTargetGroup[];
  }>;
  attachedRoutes?: Record<string, number>;
  gatewayConditions?: ConditionSummary[];
  services?: Array<{ name: string; type: string }>;
}

const PROGRAMMED: ConditionSummary[] = [
  { type: 'Accepted', status: 'True', reason: 'Accepted', message: '' },
  {
    type: 'Programmed',
    status: 'True',
    reason: 'Programmed',
    message: NLB_ARN,
  },
];

function facts(setup: Setup): GatewayFacts {
  const targetGroups = setup.nlbListeners.flatMap(l => l.targetGroups);
  return {
    cluster: 'prod-eu',
    gateway: {
      metadata: { name: 'edge', namespace: NS, generation: 1 },
      spec: { gatewayClassName: 'aws-nlb', listeners: setup.listeners },
      status: {
        conditions: (setup.gatewayConditions ?? PROGRAMMED).map(c => ({
          ...c,
          observedGeneration: 1,
        })),
        listeners: setup.listeners.map(l => ({
          name: l.name,
          attachedRoutes: setup.attachedRoutes?.[l.name] ?? 1,
          conditions: [],
        })),
      },
    },
    routes: setup.routes,
    bindings: targetGroups
      .filter(tg => tg.service)
      .map(tg => ({
        metadata: {
          name: tg.name,
          namespace: NS,
          labels: {
            'gateway.k8s.aws.nlb/stack-namespace': NS,
            'gateway.k8s.aws.nlb/stack-name': 'edge',
          },
        },
        spec: {
          targetGroupARN: tgArn(tg.name),
          targetType: 'ip',
          serviceRef: { name: tg.service!, port: tg.port },
        },
      })),
    loadBalancerSettings: {
      scheme: 'internet-facing',
      sourceRanges: ['203.0.113.0/24'],
    },
    targetGroupConfigurations: [],
    services: (setup.services ?? []).map(s => ({
      metadata: { name: s.name, namespace: NS },
      spec: { type: s.type },
    })),
    podsByAddress: new Map(),
    loadBalancer: {
      arn: NLB_ARN,
      name: 'k8s-shop-edge-0123456789',
      dnsName: 'k8s-shop-edge-0123456789.elb.us-west-2.amazonaws.com',
      scheme: 'internet-facing',
      state: 'active',
      type: 'network',
      accountId: ACCOUNT,
      region: REGION,
      consoleUrl: 'https://console.aws.amazon.com/',
      foundBy: 'status-arn',
    },
    loadBalancerListeners: setup.nlbListeners.map(l => ({
      ListenerArn: `${NLB_ARN.replace(':loadbalancer/', ':listener/')}/${
        l.port
      }`,
      Port: l.port,
      Protocol: l.protocol as any,
      DefaultActions: [
        {
          Type: 'forward',
          Order: 1,
          ForwardConfig: {
            TargetGroups: l.targetGroups.map(tg => ({
              TargetGroupArn: tgArn(tg.name),
              Weight: 1,
            })),
          },
        },
      ],
    })),
    targetGroups: new Map(
      targetGroups.map(tg => [
        tgArn(tg.name),
        {
          arn: tgArn(tg.name),
          targetGroup: {
            TargetGroupArn: tgArn(tg.name),
            TargetGroupName: tg.name,
            Protocol: tg.protocol as any,
            Port: tg.port,
            TargetType: 'ip',
            LoadBalancerArns: [NLB_ARN],
          },
          health: [
            {
              Target: { Id: '10.0.1.15', Port: tg.port },
              TargetHealth: { State: 'healthy' },
            },
          ],
          errors: [],
        },
      ]),
    ),
    errors: [],
  };
}

const DNS_PORTS: Setup['listeners'] = [
  { name: 'tcp-53', port: 53, protocol: 'TCP' },
  { name: 'udp-53', port: 53, protocol: 'UDP' },
];

describe('gateway warnings for what the real controller does', () => {
  it('names the UDP route that lost the TCP_UDP merge, and how to serve both', () => {
    const status = buildGatewayStatus(
      facts({
        listeners: DNS_PORTS,
        routes: [
          route('TCPRoute', 'dns-tcp', 'tcp-53', [
            { name: 'dns-tcp', port: 53 },
          ]),
          route('UDPRoute', 'dns-udp', 'udp-53', [
            { name: 'dns-udp', port: 53 },
          ]),
        ],
        nlbListeners: [
          {
            port: 53,
            protocol: 'TCP_UDP',
            targetGroups: [
              {
                name: 'k8s-shop-dnstcp-1a2b3c4d5e',
                protocol: 'TCP_UDP',
                port: 5353,
                service: 'dns-tcp',
              },
            ],
          },
        ],
      }),
    );

    expect(status.state).toBe('programmed');
    expect(status.warnings).toEqual([
      {
        code: 'route-shadowed',
        listener: 'udp-53',
        route: { kind: 'UDPRoute', namespace: NS, name: 'dns-udp' },
        message:
          'UDPRoute shop/dns-udp is accepted but gets no traffic: the TCP and UDP listeners on port 53 share one TCP_UDP load balancer listener, which forwards only to the backends of the oldest route, TCPRoute shop/dns-tcp.',
        fix: 'Serve TCP and UDP on port 53 from one Service and point both routes at it (its TCP_UDP target group gets both), or move listener udp-53 to a port of its own.',
      },
    ]);
  });

  it('names the younger of two routes on one listener', () => {
    const status = buildGatewayStatus(
      facts({
        listeners: [{ name: 'tcp-8080', port: 8080, protocol: 'TCP' }],
        routes: [
          route('TCPRoute', 'orders', 'tcp-8080', [
            { name: 'orders', port: 8080 },
          ]),
          route('TCPRoute', 'orders-v2', 'tcp-8080', [
            { name: 'orders-v2', port: 8080 },
          ]),
        ],
        attachedRoutes: { 'tcp-8080': 2 },
        nlbListeners: [
          {
            port: 8080,
            protocol: 'TCP',
            targetGroups: [
              {
                name: 'k8s-shop-orders-1a2b3c4d5e',
                protocol: 'TCP',
                port: 8080,
                service: 'orders',
              },
            ],
          },
        ],
      }),
    );

    expect(status.warnings).toEqual([
      expect.objectContaining({
        code: 'route-shadowed',
        route: { kind: 'TCPRoute', namespace: NS, name: 'orders-v2' },
        message:
          'TCPRoute shop/orders-v2 is accepted but gets no traffic: a load balancer port forwards to one route only, the oldest, TCPRoute shop/orders.',
      }),
    ]);
  });

  it('does not call a route shadowed while its target group has no binding yet', () => {
    const status = buildGatewayStatus(
      facts({
        listeners: [{ name: 'tcp-8080', port: 8080, protocol: 'TCP' }],
        routes: [
          route('TCPRoute', 'orders', 'tcp-8080', [
            { name: 'orders', port: 8080 },
          ]),
        ],
        nlbListeners: [
          {
            port: 8080,
            protocol: 'TCP',
            targetGroups: [
              {
                name: 'k8s-shop-orders-1a2b3c4d5e',
                protocol: 'TCP',
                port: 8080,
              },
            ],
          },
        ],
      }),
    );

    expect(status.warnings).toEqual([]);
  });

  it('warns that TLS passthrough before a TLS target group fails on AWS, and names the fix', () => {
    const setup = (protocol: string, mode = 'Passthrough'): Setup => ({
      listeners: [
        { name: 'tls-443', port: 443, protocol: 'TLS', tls: { mode } },
      ],
      routes: [
        route('TLSRoute', 'web', 'tls-443', [{ name: 'web', port: 443 }]),
      ],
      nlbListeners: [
        {
          port: 443,
          protocol: mode === 'Passthrough' ? 'TCP' : 'TLS',
          targetGroups: [
            {
              name: `k8s-shop-web-${protocol.toLowerCase()}`,
              protocol,
              port: 8443,
              service: 'web',
            },
          ],
        },
      ],
    });

    expect(buildGatewayStatus(facts(setup('TLS'))).warnings).toEqual([
      {
        code: 'tls-passthrough-tls-target-group',
        listener: 'tls-443',
        message:
          'Listener tls-443 passes TLS through (a TCP listener on the load balancer), but target group k8s-shop-web-tls is TLS: AWS refuses a TCP listener forwarding to a TLS target group (IncompatibleProtocols), so port 443 does not work.',
        fix: "Set protocol: TCP in the TargetGroupConfiguration of Service shop/web (defaultConfiguration, or the route's routeConfigurations entry): the load balancer then hands the TLS stream to the pods untouched. It does no SNI routing; one route per port gets all traffic.",
      },
    ]);
    // The fix applied: TCP → TCP.
    expect(buildGatewayStatus(facts(setup('TCP'))).warnings).toEqual([]);
    // TLS termination on the load balancer may re-encrypt to a TLS target group.
    expect(
      buildGatewayStatus(facts(setup('TLS', 'Terminate'))).warnings,
    ).toEqual([]);
  });

  it('explains a Gateway not accepted because of instance targets on a ClusterIP Service', () => {
    const status = buildGatewayStatus(
      facts({
        listeners: [{ name: 'tcp-6000', port: 6000, protocol: 'TCP' }],
        routes: [
          route('TCPRoute', 'billing', 'tcp-6000', [
            { name: 'billing', port: 6000 },
          ]),
        ],
        nlbListeners: [],
        // Written before the route came; a failed model leaves it as it was.
        attachedRoutes: { 'tcp-6000': 0 },
        services: [{ name: 'billing', type: 'ClusterIP' }],
        gatewayConditions: [
          {
            type: 'Accepted',
            status: 'False',
            reason: 'Invalid',
            message: 'Check Gateway Events for more information.',
          },
          {
            type: 'Programmed',
            status: 'Unknown',
            reason: 'Pending',
            message: 'Waiting for load balancer to be active.',
          },
        ],
      }),
    );

    expect(status.state).toBe('error');
    expect(status.stateReason).toBe(
      'Not accepted: Invalid: Check Gateway Events for more information.',
    );
    expect(status.warnings).toEqual([
      {
        code: 'instance-target-clusterip',
        message:
          'Service shop/billing is ClusterIP but its targets are of type instance (the controller\'s default): the controller cannot build the load balancer ("TargetGroup port is empty", in the Gateway\'s FailedBuildModel events), so the Gateway is not accepted and no listener is created.',
        fix: 'Add a TargetGroupConfiguration in namespace shop with targetReference {kind: Service, name: billing} and defaultConfiguration.targetType: ip.',
      },
    ]);
  });

  it('says the listener is gone once its route was removed, while the Gateway stays programmed', () => {
    const status = buildGatewayStatus(
      facts({
        listeners: [{ name: 'tcp-8080', port: 8080, protocol: 'TCP' }],
        routes: [],
        attachedRoutes: { 'tcp-8080': 0 },
        nlbListeners: [],
      }),
    );

    expect(status.state).toBe('programmed');
    expect(status.listeners[0]).toMatchObject({
      attachedRoutes: 0,
      routes: [],
      targetGroups: [],
    });
    expect(status.listeners[0].loadBalancerListener).toBeUndefined();
    expect(status.warnings).toEqual([
      expect.objectContaining({
        code: 'listener-without-route',
        listener: 'tcp-8080',
        message:
          'Listener tcp-8080 (TCP 8080) has no attached route, so the load balancer has no listener on port 8080.',
      }),
    ]);
  });
});
