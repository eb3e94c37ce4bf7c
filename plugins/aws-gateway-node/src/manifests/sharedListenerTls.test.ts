import { ConfigReader } from '@backstage/config';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import yaml from 'yaml';
import {
  SHARED_GATEWAY_ENTRY,
  SHARED_GATEWAY_YAML,
} from './__fixtures__/sharedGateway';
import {
  isAllowedTlsHostname,
  readSharedGateways,
} from './sharedGatewayConfig';
import { planSharedListener, SharedListenerRequest } from './sharedListener';
import { planSharedListenerEdit } from './sharedListenerEdit';
import { targetGroupConfigurationConflicts } from './sharedTargetGroupConfigurations';
import { tlsPassthroughManifestIssues } from './tlsPassthroughManifests';
import { KubernetesManifest } from './types';

/** A shared Gateway that offers TLS passthrough on host names below apps.example.com. */
const [SHARED] = readSharedGateways(
  new ConfigReader({
    awsGateway: {
      provisioning: {
        sharedGateways: [
          {
            ...SHARED_GATEWAY_ENTRY,
            protocols: ['TCP', 'UDP', 'TLS'],
            tlsHostnames: ['*.apps.example.com', 'db.example.com'],
          },
        ],
      },
    },
  }),
);

const TLS_REQUEST: SharedListenerRequest = {
  sharedGateway: SHARED.id,
  namespace: 'team-a',
  listenerName: 'team-a-db',
  listenerPort: 20001,
  protocol: 'TLS',
  hostname: 'db.team-a.apps.example.com',
  routeName: 'db',
  backend: { service: 'postgres', port: 5432 },
  entityRef: 'component:default/db',
};

function plan(
  overrides: Partial<Parameters<typeof planSharedListener>[0]> = {},
) {
  return planSharedListener({
    shared: SHARED,
    request: TLS_REQUEST,
    repoGatewayYaml: SHARED_GATEWAY_YAML,
    liveGateway: yaml.parse(SHARED_GATEWAY_YAML),
    routeNamespaceLabels: { 'shared-nlb': 'yes' },
    profile: CONTROLLER_PROFILES['lbc-v3.5'],
    ...overrides,
  });
}

const withListener = (listener: string) =>
  `${SHARED_GATEWAY_YAML}    - ${listener}\n`;

describe('a TLS passthrough listener on a shared Gateway', () => {
  it('adds a passthrough listener with its host name, a TLSRoute and a TCP TargetGroupConfiguration', () => {
    const result = plan();
    const added = yaml.parse(result.gatewayFile.content).spec.listeners[1];
    expect(added).toEqual({
      name: 'team-a-db',
      protocol: 'TLS',
      port: 20001,
      hostname: 'db.team-a.apps.example.com',
      tls: { mode: 'Passthrough' },
      allowedRoutes: {
        namespaces: {
          from: 'Selector',
          selector: { matchLabels: { 'shared-nlb': 'yes' } },
        },
        kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }],
      },
    });
    expect(result.gatewayFile.content).toContain(
      "# The platform's own listener.",
    );
    expect(result.manifests.map(m => m.path)).toEqual([
      'tlsroute-db.yaml',
      'targetgroupconfiguration-db.yaml',
    ]);
    const [route, tgc] = result.manifests.map(m => m.manifest);
    expect(route).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: {
        name: 'db',
        namespace: 'team-a',
        annotations: { 'aws-gateway.io/listener-port': '20001' },
      },
      spec: {
        parentRefs: [{ name: 'shared-nlb', sectionName: 'team-a-db' }],
        hostnames: ['db.team-a.apps.example.com'],
        rules: [{ backendRefs: [{ name: 'postgres', port: 5432 }] }],
      },
    });
    expect(tgc).toEqual({
      apiVersion: 'gateway.k8s.aws/v1',
      kind: 'TargetGroupConfiguration',
      metadata: {
        name: 'db',
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'backstage-aws-gateway' },
        annotations: {
          'aws-gateway.io/entity-ref': 'component:default/db',
          'aws-gateway.io/listener-port': '20001',
        },
      },
      spec: {
        targetReference: { group: '', kind: 'Service', name: 'postgres' },
        defaultConfiguration: { targetType: 'ip', protocol: 'TCP' },
      },
    });
  });

  it('passes the new-gateway rule for target groups behind passthrough listeners (one home: tlsPassthroughManifestIssues)', () => {
    const result = plan();
    const gateway = yaml.parse(
      result.gatewayFile.content,
    ) as KubernetesManifest;
    const manifests = result.manifests.map(m => m.manifest);
    expect(tlsPassthroughManifestIssues([gateway, ...manifests])).toEqual([]);
    // Without the TargetGroupConfiguration the rule catches it: the render is what makes it pass.
    expect(
      tlsPassthroughManifestIssues([gateway, manifests[0]]).map(i => i.rule),
    ).toEqual(['tls-passthrough-target-group-protocol']);
  });

  it('puts the ReferenceGrant and the TargetGroupConfiguration beside a Service in another namespace', () => {
    const result = plan({
      request: {
        ...TLS_REQUEST,
        backend: { service: 'postgres', port: 5432, namespace: 'team-a-data' },
      },
    });
    expect(
      result.manifests.map(m => [
        m.manifest.kind,
        m.manifest.metadata.namespace,
        m.manifest.metadata.name,
      ]),
    ).toEqual([
      ['TLSRoute', 'team-a', 'db'],
      ['ReferenceGrant', 'team-a-data', 'team-a-db'],
      ['TargetGroupConfiguration', 'team-a-data', 'team-a-db'],
    ]);
    expect(result.manifests[1].manifest.spec?.from[0].kind).toBe('TLSRoute');
  });

  it('renders v1alpha2 TLSRoutes and v1beta1 TargetGroupConfigurations for LBC v2.17', () => {
    const kinds = plan({
      profile: CONTROLLER_PROFILES['lbc-v2.17'],
    }).manifests.map(m => m.manifest.apiVersion);
    expect(kinds).toEqual([
      'gateway.networking.k8s.io/v1alpha2',
      'gateway.k8s.aws/v1beta1',
    ]);
  });

  it('changes nothing when run again', () => {
    const first = plan();
    const again = plan({ repoGatewayYaml: first.gatewayFile.content });
    expect(again.gatewayChanged).toBe(false);
    expect(again.manifests).toEqual(first.manifests);
  });

  it.each<[string, string | undefined, RegExp]>([
    [
      'none',
      undefined,
      /hostname: the host name is required.*\[tls-hostname-required\]/,
    ],
    ['upper case', 'DB.apps.example.com', /\[tls-hostname\]/],
    ['a wildcard inside', 'db.*.apps.example.com', /\[tls-hostname\]/],
    ['a bare wildcard', '*', /\[tls-hostname\]/],
    ['an IP address', '10.0.0.1', /\[tls-hostname\]/],
    ['a trailing dot', 'db.apps.example.com.', /\[tls-hostname\]/],
    [
      'a label over 63 characters',
      `${'a'.repeat(64)}.apps.example.com`,
      /\[tls-hostname\]/,
    ],
    [
      'a name over 253 characters',
      `${'a.'.repeat(120)}apps.example.com`,
      /\[tls-hostname\]/,
    ],
    [
      'one the platform does not list',
      'db.other.example.com',
      /hostname: db\.other\.example\.com is not among the host names .* \(\*\.apps\.example\.com, db\.example\.com\) \[shared-tls-hostname\]/,
    ],
    [
      'the wildcard domain itself',
      'apps.example.com',
      /\[shared-tls-hostname\]/,
    ],
  ])(
    'refuses a host name: %s, naming the field and the rule',
    (_what, hostname, message) => {
      const request = { ...TLS_REQUEST, hostname };
      expect(() => plan({ request })).toThrow(message);
    },
  );

  it('refuses a host name on a TCP listener', () => {
    expect(() =>
      plan({
        request: { ...TLS_REQUEST, protocol: 'TCP' },
      }),
    ).toThrow(
      /hostname: the host name: TCP listeners must not set a hostname.*\[listener-hostname-l4\]/,
    );
  });

  it('refuses TLS where the platform does not offer it', () => {
    expect(() =>
      plan({ shared: { ...SHARED, protocols: ['TCP', 'UDP'] } }),
    ).toThrow(/protocol: TLS is not offered .* \[shared-protocol\]/);
  });

  it.each<[string, string, RegExp]>([
    [
      'a UDP listener',
      'name: team-b-dns\n      protocol: UDP\n      port: 20001',
      /port 20001 is taken .*\(listener team-b-dns, UDP: the NLB would merge them into one TCP_UDP listener.* \[tls-udp-same-port\]\) \[shared-port-taken\]/,
    ],
    [
      'another TLS listener with another host name',
      'name: team-b-web\n      protocol: TLS\n      port: 20001\n      hostname: web.apps.example.com\n      tls: { mode: Passthrough }',
      /port 20001 is taken .*\(listener team-b-web, TLS: .*does no SNI routing.* \[listener-port-unique\]\) \[shared-port-taken\]/,
    ],
  ])('refuses the port of %s', (_what, listener, message) => {
    const repoGatewayYaml = withListener(listener);
    expect(() =>
      plan({ repoGatewayYaml, liveGateway: yaml.parse(repoGatewayYaml) }),
    ).toThrow(message);
  });

  it('changes the host name and the port of its own listener, and refuses a hand-edited one', () => {
    const added = plan();
    const changed = planSharedListenerEdit({
      shared: SHARED,
      current: TLS_REQUEST,
      next: { ...TLS_REQUEST, listenerPort: 20002, hostname: 'db.example.com' },
      repoGatewayYaml: added.gatewayFile.content,
      liveGateway: yaml.parse(added.gatewayFile.content),
      profile: CONTROLLER_PROFILES['lbc-v3.5'],
      routeNamespaceLabels: { 'shared-nlb': 'yes' },
    });
    expect(changed.gatewayDiff).toContain('+      hostname: db.example.com');
    expect(changed.manifests[0].manifest.spec?.hostnames).toEqual([
      'db.example.com',
    ]);
    const handEdited = added.gatewayFile.content.replace(
      'hostname: db.team-a.apps.example.com',
      'hostname: x.apps.example.com',
    );
    expect(() =>
      planSharedListenerEdit({
        shared: SHARED,
        current: TLS_REQUEST,
        repoGatewayYaml: handEdited,
        liveGateway: yaml.parse(handEdited),
        profile: CONTROLLER_PROFILES['lbc-v3.5'],
      }),
    ).toThrow(/is not what the portal wrote .*\[endpoint-hand-edited\]/);
  });
});

describe('isAllowedTlsHostname', () => {
  const allowed = ['*.apps.example.com', 'db.example.com'];
  it.each<[string, boolean]>([
    ['db.example.com', true],
    ['x.db.example.com', false],
    ['a.apps.example.com', true],
    ['a.b.apps.example.com', true],
    ['*.team.apps.example.com', true],
    ['*.apps.example.com', true],
    ['apps.example.com', false],
    ['evilapps.example.com', false],
    ['a.apps.example.com.evil.com', false],
  ])('%s: %s', (hostname, expected) => {
    expect(isAllowedTlsHostname(allowed, hostname)).toBe(expected);
  });
});

describe('targetGroupConfigurationConflicts', () => {
  const ours = plan().manifests[1].manifest;
  const live = (name: string, service: string, annotations = {}) => ({
    item: {
      metadata: {
        name,
        namespace: 'team-a',
        labels: { 'app.kubernetes.io/managed-by': 'backstage-aws-gateway' },
        annotations,
      },
      spec: { targetReference: { name: service } },
    },
    where: 'live on the cluster',
  });

  it('lets ours (an earlier run, any port) and other Services be', () => {
    expect(
      targetGroupConfigurationConflicts(ours, [
        live('db', 'postgres', { 'aws-gateway.io/listener-port': '20007' }),
        live('cache', 'redis'),
      ]),
    ).toEqual([]);
  });

  it("refuses another one for the Service, and one of our name that is not a shared listener's", () => {
    expect(
      targetGroupConfigurationConflicts(ours, [live('postgres', 'postgres')]),
    ).toEqual([
      expect.objectContaining({
        field: 'serviceName',
        rule: 'shared-target-group-configuration-taken',
        message: expect.stringMatching(
          /Service team-a\/postgres already has TargetGroupConfiguration postgres \(live on the cluster\): the controller applies only one per Service/,
        ),
      }),
    ]);
    expect(
      targetGroupConfigurationConflicts(ours, [live('db', 'redis')])[0].message,
    ).toMatch(
      /TargetGroupConfiguration team-a\/db exists \(live on the cluster\) and is not the one the portal writes/,
    );
  });
});
