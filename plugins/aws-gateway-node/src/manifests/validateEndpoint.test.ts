import { ConfigReader } from '@backstage/config';
import {
  EndpointBackend,
  EndpointSpec,
  L4ListenerProtocol,
} from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayGuardrails, readGatewayGuardrails } from './guardrails';
import { validateEndpointSpec } from './validateEndpoint';
import { classicEndpoint } from './__fixtures__/classicEndpoint';
import { multiListenerEndpoint } from './__fixtures__/multiListenerEndpoint';

const guardrails: GatewayGuardrails = readGatewayGuardrails(
  new ConfigReader({
    awsGateway: {
      provisioning: {
        gateways: {
          allowedNamespaces: ['default', 'apps'],
          allowedListenerPorts: ['1024-65535', 443],
        },
      },
    },
  }),
);

const dns: EndpointBackend = { service: 'dns', port: 53 };

/** Listeners "first" and "second" on port 5353, each with its route (named as the listener) to the backends given. */
function onOnePort(
  ...listeners: Array<[L4ListenerProtocol, EndpointBackend[]]>
): Partial<EndpointSpec> {
  const names = ['first', 'second'];
  return {
    listeners: listeners.map(([protocol], i) => ({
      name: names[i],
      protocol,
      port: 5353,
      ...(protocol === 'TLS' ? { hostname: 'db.example.com' } : {}),
    })),
    routes: listeners.map(([, backends], i) => ({
      name: names[i],
      listener: names[i],
      backends,
    })),
  };
}

function rulesFor(spec: EndpointSpec, g: GatewayGuardrails = guardrails) {
  return validateEndpointSpec(spec, { guardrails: g }).map(
    i => `${i.field} ${i.rule}`,
  );
}

describe('validateEndpointSpec', () => {
  it('accepts the classic example', () => {
    expect(validateEndpointSpec(classicEndpoint, { guardrails })).toEqual([]);
  });

  const cases: Array<[string, Partial<EndpointSpec>, string]> = [
    [
      'hostname on a TCP listener',
      {
        listeners: [
          {
            name: 'tcp-app',
            protocol: 'TCP',
            port: 8080,
            hostname: 'a.example.com',
          },
        ],
      },
      'listeners[0].hostname listener-hostname-l4',
    ],
    [
      'TLS listener without hostname',
      { listeners: [{ name: 'tcp-app', protocol: 'TLS', port: 8443 }] },
      'listeners[0].hostname tls-hostname-required',
    ],
    [
      'port outside the allowed ranges',
      { listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 80 }] },
      'listeners[0].port listener-port-not-allowed',
    ],
    [
      'port out of range',
      { listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 70000 }] },
      'listeners[0].port port-range',
    ],
    [
      'upper-case listener name',
      {
        listeners: [{ name: 'TCP-App', protocol: 'TCP', port: 8080 }],
        routes: [
          {
            name: 'r',
            listener: 'TCP-App',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
      },
      'listeners[0].name dns-label',
    ],
    [
      'namespace not allowed',
      { namespace: 'kube-system' },
      'namespace namespace-not-allowed',
    ],
    [
      'internet-facing without CIDRs',
      { sourceCidrs: [] },
      'sourceCidrs open-to-world',
    ],
    [
      'internet-facing with 0.0.0.0/0',
      { sourceCidrs: ['0.0.0.0/0'] },
      'sourceCidrs open-to-world',
    ],
    ['malformed CIDR', { sourceCidrs: ['10.0.0.0/33'] }, 'sourceCidrs[0] cidr'],
    [
      'the whole IPv4 space in two halves',
      { sourceCidrs: ['0.0.0.0/1', '128.0.0.0/1'] },
      'sourceCidrs open-to-world',
    ],
    // Red team: all of the internet without the blocks no internet client has, in /8s the minimum prefix allows.
    [
      'every /8 but loopback, multicast and reserved',
      {
        sourceCidrs: Array.from(
          { length: 223 },
          (_, i) => `${i + 1}.0.0.0/8`,
        ).filter(b => b !== '127.0.0.0/8'),
      },
      'sourceCidrs open-to-world',
    ],
    [
      '0.0.0.0/0 with a leading-zero octet',
      { sourceCidrs: ['0.0.0.000/0'] },
      'sourceCidrs[0] cidr-not-canonical',
    ],
    [
      'the IPv4-mapped IPv6 block',
      { sourceCidrs: ['::ffff:0:0/96'] },
      'sourceCidrs[0] cidr-ipv4-mapped',
    ],
    [
      '::/0 written with host bits',
      { sourceCidrs: ['::1/0'] },
      'sourceCidrs[0] cidr-host-bits',
    ],
    [
      'a CIDR with host bits set',
      { sourceCidrs: ['10.0.0.1/8'] },
      'sourceCidrs[0] cidr-host-bits',
    ],
    [
      'a block wider than the minimum prefix',
      { sourceCidrs: ['0.0.0.0/1'] },
      'sourceCidrs[0] cidr-prefix-too-short',
    ],
    [
      'a gateway class configuration does not list',
      { gatewayClassName: 'internal-nlb' },
      'gatewayClassName gateway-class-not-allowed',
    ],
    [
      'a Service behind both a TLS and a UDP listener',
      {
        listeners: [
          {
            name: 'tls',
            protocol: 'TLS',
            port: 8443,
            hostname: 'db.example.com',
          },
          { name: 'udp', protocol: 'UDP', port: 8443 },
        ],
        routes: [
          {
            name: 'tls',
            listener: 'tls',
            backends: [{ service: 'db', port: 5432 }],
          },
          {
            name: 'udp',
            listener: 'udp',
            backends: [{ service: 'db', port: 5432 }],
          },
        ],
      },
      'routes tls-passthrough-udp-service',
    ],
    [
      'lower-case health-check protocol',
      { healthCheck: { protocol: 'tcp' } },
      'healthCheck.protocol health-check-protocol-case',
    ],
    [
      'unknown health-check protocol',
      { healthCheck: { protocol: 'UDP' } },
      'healthCheck.protocol health-check-protocol',
    ],
    [
      'health-check path on TCP',
      { healthCheck: { protocol: 'TCP', path: '/x' } },
      'healthCheck.path health-check-path-tcp',
    ],
    [
      'health-check interval too short',
      { healthCheck: { intervalSeconds: 1 } },
      'healthCheck.intervalSeconds health-check-range',
    ],
    [
      'route to an unknown listener',
      {
        routes: [
          {
            name: 'r',
            listener: 'nope',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
      },
      'routes[0].listener route-listener-unknown',
    ],
    [
      'listener without route',
      { routes: [] },
      'listeners[0] listener-without-route',
    ],
    [
      'two routes on one listener',
      {
        routes: [
          {
            name: 'a',
            listener: 'tcp-app',
            backends: [{ service: 'backend', port: 3000 }],
          },
          {
            name: 'b',
            listener: 'tcp-app',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
      },
      'routes[1].listener one-route-per-listener',
    ],
    [
      'route without backends',
      { routes: [{ name: 'r', listener: 'tcp-app', backends: [] }] },
      'routes[0].backends route-backend-count',
    ],
    [
      'every backend at weight 0',
      {
        routes: [
          {
            name: 'r',
            listener: 'tcp-app',
            backends: [{ service: 'backend', port: 3000, weight: 0 }],
          },
        ],
      },
      'routes[0].backends backend-all-zero-weight',
    ],
    [
      'reserved tag key',
      { tags: { 'elbv2.k8s.aws/cluster': 'x' } },
      'tags.elbv2.k8s.aws/cluster tag-reserved',
    ],
    [
      'load balancer name too long',
      { loadBalancerName: 'a'.repeat(33) },
      'loadBalancerName load-balancer-name',
    ],
    [
      'invalid kubernetes-id label',
      { kubernetesId: 'not valid!' },
      'kubernetesId label-value',
    ],
    [
      'duplicate listener port',
      {
        listeners: [
          { name: 'a', protocol: 'TCP', port: 8080 },
          { name: 'b', protocol: 'TLS', port: 8080, hostname: 'x.example.com' },
        ],
        routes: [
          {
            name: 'a',
            listener: 'a',
            backends: [{ service: 'backend', port: 3000 }],
          },
          {
            name: 'b',
            listener: 'b',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
      },
      'listeners[1].port listener-port-unique',
    ],
    [
      'the same Service port twice in a route',
      {
        routes: [
          {
            name: 'r',
            listener: 'tcp-app',
            backends: [
              { service: 'backend', port: 3000, weight: 1 },
              { service: 'other', port: 3000 },
              { service: 'backend', port: 3000, weight: 2 },
            ],
          },
        ],
      },
      'routes[0].backends[2] backend-unique',
    ],
    [
      'a weight above what a load balancer forward action takes',
      {
        routes: [
          {
            name: 'r',
            listener: 'tcp-app',
            backends: [
              { service: 'backend', port: 3000, weight: 1000 },
              { service: 'other', port: 3000, weight: 1 },
            ],
          },
        ],
      },
      'routes[0].backends[0].weight backend-weight',
    ],
    [
      'a negative weight',
      {
        routes: [
          {
            name: 'r',
            listener: 'tcp-app',
            backends: [{ service: 'backend', port: 3000, weight: -1 }],
          },
        ],
      },
      'routes[0].backends[0].weight backend-weight',
    ],
    [
      'TCP and UDP on one port with different backends',
      onOnePort(['TCP', [dns]], ['UDP', [{ ...dns, service: 'dns-udp' }]]),
      'routes[1].backends tcp-udp-same-backends',
    ],
    [
      'TCP and UDP on one port with different weights',
      onOnePort(
        [
          'TCP',
          [
            { ...dns, weight: 9 },
            { ...dns, service: 'green' },
          ],
        ],
        ['UDP', [{ ...dns, service: 'green' }, dns]],
      ),
      'routes[1].backends tcp-udp-same-backends',
    ],
    [
      'TLS and UDP on one port',
      onOnePort(['TLS', [dns]], ['UDP', [dns]]),
      'listeners[1].port tls-udp-same-port',
    ],
    [
      'two UDP listeners on one port',
      onOnePort(['UDP', [dns]], ['UDP', [dns]]),
      'listeners[1].port listener-port-unique',
    ],
  ];

  it.each(cases)('refuses %s', (_name, change, expected) => {
    expect(rulesFor({ ...classicEndpoint, ...change })).toContain(expected);
  });

  it('allows TCP and UDP on the same port (TCP_UDP) with the same backends, in any order', () => {
    const blue = { ...dns, service: 'blue', weight: 9 };
    expect(
      rulesFor({
        ...classicEndpoint,
        ...onOnePort(
          ['TCP', [blue, dns]],
          ['UDP', [{ ...dns, weight: 1 }, blue]],
        ),
      }),
    ).toEqual([]);
  });

  it('accepts several listeners, each with weighted backends, in one endpoint', () => {
    expect(validateEndpointSpec(multiListenerEndpoint, { guardrails })).toEqual(
      [],
    );
  });

  it('says why TCP and UDP on one port need the same backends, naming the field', () => {
    const [found] = validateEndpointSpec(
      {
        ...classicEndpoint,
        ...onOnePort(['TCP', [dns]], ['UDP', [{ ...dns, port: 54 }]]),
      },
      { guardrails },
    );
    expect(found.message).toBe(
      `routes[1].backends must be the same Services, ports and weights as route "first"'s: TCP and UDP on port 5353 become one TCP_UDP load balancer listener, which forwards only to the backends of the oldest of the two routes, so the other route's backends would get no traffic`,
    );
  });

  it('names the canonical block in CIDR errors', () => {
    const messages = validateEndpointSpec(
      {
        ...classicEndpoint,
        sourceCidrs: ['10.0.0.1/8', '2001:DB8::/32', '::ffff:cb00:7100/120'],
      },
      { guardrails },
    ).map(i => i.message);
    expect(messages).toEqual([
      'sourceCidrs[0] "10.0.0.1/8" has host bits set; the block is "10.0.0.0/8"',
      'sourceCidrs[1] "2001:DB8::/32" is not in canonical form; write it as "2001:db8::/32"',
      'sourceCidrs[2] "::ffff:cb00:7100/120" is an IPv4-mapped IPv6 block; write the IPv4 block "203.0.113.0/24" instead',
    ]);
  });

  it('applies the minimum prefix length and the open-to-world rule to internet-facing endpoints only', () => {
    const wide = {
      ...classicEndpoint,
      sourceCidrs: ['0.0.0.0/1', '128.0.0.0/1'],
    };
    expect(rulesFor({ ...wide, scheme: 'internal' })).toEqual([]);
    expect(
      rulesFor(
        { ...classicEndpoint, sourceCidrs: ['10.0.0.0/7'] },
        { ...guardrails, minSourceRangePrefixLength: { ipv4: 6, ipv6: 32 } },
      ),
    ).toEqual([]);
    expect(
      rulesFor({ ...classicEndpoint, sourceCidrs: ['2001:db8::/31'] }),
    ).toEqual(['sourceCidrs[0] cidr-prefix-too-short']);
  });

  it('lets configuration open internet-facing endpoints to the world', () => {
    expect(
      rulesFor(
        { ...classicEndpoint, sourceCidrs: [] },
        { ...guardrails, allowOpenToWorld: true },
      ),
    ).toEqual([]);
  });

  it('checks backends against the Services the cluster reports', () => {
    const services = new Map([
      [
        'backend',
        {
          namespace: 'default',
          name: 'backend',
          type: 'ClusterIP',
          ports: [3000],
        },
      ],
      ['gone', undefined],
    ]);
    const spec: EndpointSpec = {
      ...classicEndpoint,
      targetType: 'instance',
      routes: [
        {
          name: 'tcp-backend-aws',
          listener: 'tcp-app',
          backends: [
            { service: 'backend', port: 3001 },
            { service: 'backend', port: 3000 },
            { service: 'gone', port: 1 },
          ],
        },
      ],
    };
    const issues = validateEndpointSpec(spec, { guardrails, services });
    expect(issues.map(i => `${i.field} ${i.rule}`)).toEqual([
      'routes[0].backends[0].port service-port-not-found',
      'targetType instance-target-clusterip',
      'routes[0].backends[2].service service-not-found',
    ]);
    expect(issues[1].message).toContain('use targetType "ip"');
  });
});

describe('readGatewayGuardrails', () => {
  it('applies defaults', () => {
    expect(readGatewayGuardrails(new ConfigReader({}))).toEqual({
      allowedClusters: [],
      allowedNamespaces: undefined,
      allowedListenerPorts: [{ from: 1, to: 65535 }],
      allowOpenToWorld: false,
      minSourceRangePrefixLength: { ipv4: 8, ipv6: 32 },
      gatewayClassName: 'aws-nlb',
      allowedGatewayClassNames: ['aws-nlb'],
      defaultControllerProfile: 'lbc-v3.5',
    });
  });
  it('reads the gateway class allow-list and the minimum prefix lengths', () => {
    const read = (gateways: object) =>
      readGatewayGuardrails(
        new ConfigReader({ awsGateway: { provisioning: { gateways } } }),
      );
    expect(
      read({
        allowedGatewayClassNames: ['aws-nlb', 'internal-nlb'],
        minSourceRangePrefixLength: { ipv6: 48 },
      }),
    ).toMatchObject({
      allowedGatewayClassNames: ['aws-nlb', 'internal-nlb'],
      minSourceRangePrefixLength: { ipv4: 8, ipv6: 48 },
    });
    expect(() => read({ allowedGatewayClassNames: ['other'] })).toThrow(
      /allowedGatewayClassNames must include gatewayClassName "aws-nlb"/,
    );
    expect(() => read({ minSourceRangePrefixLength: { ipv4: 33 } })).toThrow(
      /minSourceRangePrefixLength\.ipv4: 33 must be an integer from 0 to 32/,
    );
  });
  it('fails on a malformed port range and an unknown profile', () => {
    expect(() =>
      readGatewayGuardrails(
        new ConfigReader({
          awsGateway: {
            provisioning: { gateways: { allowedListenerPorts: ['9-1'] } },
          },
        }),
      ),
    ).toThrow(/allowedListenerPorts: "9-1"/);
    expect(() =>
      readGatewayGuardrails(
        new ConfigReader({
          awsGateway: {
            provisioning: { gateways: { defaultControllerProfile: 'lbc-v9' } },
          },
        }),
      ),
    ).toThrow(/unknown controller profile "lbc-v9"/);
  });
});
