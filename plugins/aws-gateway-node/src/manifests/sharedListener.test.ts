import { ConfigReader } from '@backstage/config';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import yaml from 'yaml';
import {
  SHARED_GATEWAY_ENTRY,
  SHARED_GATEWAY_GITOPS,
  SHARED_GATEWAY_YAML,
} from './__fixtures__/sharedGateway';
import { readSharedGateways, SharedGateway } from './sharedGatewayConfig';
import {
  findSharedGateway,
  freeSharedPorts,
  planSharedListener,
  SharedListenerRequest,
} from './sharedListener';

const config = (entry: JsonObject) =>
  new ConfigReader({
    awsGateway: { provisioning: { sharedGateways: [entry] } },
  });

/** The configuration's JSON, as ConfigReader takes it. */
type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const GITOPS = SHARED_GATEWAY_GITOPS;
const ENTRY: JsonObject = SHARED_GATEWAY_ENTRY;
const REPO_YAML = SHARED_GATEWAY_YAML;

const LIVE = yaml.parse(REPO_YAML);

const REQUEST: SharedListenerRequest = {
  sharedGateway: 'prod/platform-gateways/shared-nlb',
  namespace: 'team-a',
  listenerName: 'team-a-db',
  listenerPort: 20001,
  protocol: 'TCP',
  routeName: 'db',
  backend: { service: 'postgres', port: 5432 },
  entityRef: 'component:default/db',
};

/** team-b's listener, in a pull request still open. */
const PENDING_CLAIM = {
  name: 'team-b-db',
  port: 20001,
  protocol: 'TCP',
  branch: 'aws-gateway/shared-team-b-db',
  pullRequest: {
    number: 4,
    url: 'https://git.example.com/platform/gitops/pulls/4',
  },
};

function plan(
  overrides: Partial<Parameters<typeof planSharedListener>[0]> = {},
) {
  const [shared] = readSharedGateways(config(ENTRY));
  return planSharedListener({
    shared,
    request: REQUEST,
    repoGatewayYaml: REPO_YAML,
    liveGateway: LIVE,
    routeNamespaceLabels: { 'shared-nlb': 'yes' },
    profile: CONTROLLER_PROFILES['lbc-v3.5'],
    ...overrides,
  });
}

describe('readSharedGateways', () => {
  it('reads an entry with its defaults', () => {
    const [g] = readSharedGateways(config(ENTRY));
    expect(g).toEqual<SharedGateway>({
      id: 'prod/platform-gateways/shared-nlb',
      cluster: 'prod',
      namespace: 'platform-gateways',
      name: 'shared-nlb',
      gitops: {
        repoUrl: 'https://git.example.com/platform/gitops.git',
        path: 'platform/gateways/shared-nlb.yaml',
        branch: 'main',
      },
      listenerPorts: [{ from: 20000, to: 20009 }],
      protocols: ['TCP', 'UDP'],
      tlsHostnames: [],
      allowedRoutes: { from: 'Selector', matchLabels: { 'shared-nlb': 'yes' } },
    });
  });

  it.each<[JsonObject, RegExp]>([
    [{ listenerPorts: [] }, /listenerPorts: name the ports/],
    [{ allowedRoutes: { from: 'Selector' } }, /needs matchLabels/],
    [{ allowedRoutes: { from: 'Anyone' } }, /must be All, Same or Selector/],
    [{ protocols: ['SCTP'] }, /protocols: "SCTP" must be one of TCP, UDP, TLS/],
    [{ protocols: ['TLS'] }, /tlsHostnames: TLS is offered, so name the host/],
    [
      { tlsHostnames: ['*.apps.example.com'] },
      /tlsHostnames: only for a Gateway that offers TLS/,
    ],
    [
      { protocols: ['TLS'], tlsHostnames: ['apps.*.example.com'] },
      /tlsHostnames\[0\] "apps\.\*\.example\.com" must be a lower-case DNS name/,
    ],
    [{ gitops: { ...GITOPS, path: '../etc/passwd' } }, /gitops.path/],
    [
      { gitops: { ...GITOPS, repoUrl: 'http://git.example.com/a/b' } },
      /gitops.repoUrl/,
    ],
    [{ namespace: 'Platform' }, /must be Kubernetes names/],
  ])('refuses a malformed entry %j at startup', (change, message) => {
    expect(() => readSharedGateways(config({ ...ENTRY, ...change }))).toThrow(
      message,
    );
  });

  it('refuses the same Gateway twice', () => {
    const twice = new ConfigReader({
      awsGateway: { provisioning: { sharedGateways: [ENTRY, ENTRY] } },
    });
    expect(() => readSharedGateways(twice)).toThrow(/listed twice/);
  });
});

describe('findSharedGateway', () => {
  it('refuses a Gateway that is not configured', () => {
    const gateways = readSharedGateways(config(ENTRY));
    expect(findSharedGateway(gateways, REQUEST.sharedGateway).name).toBe(
      'shared-nlb',
    );
    expect(() => findSharedGateway(gateways, 'prod/kube-system/other')).toThrow(
      /not a shared Gateway.*\[shared-gateway-not-configured\]/,
    );
  });
});

describe('freeSharedPorts', () => {
  it('lists the configured ports no listener holds', () => {
    const [shared] = readSharedGateways(config(ENTRY));
    expect(
      freeSharedPorts(
        shared,
        [{ name: 'a', port: 20000, protocol: 'UDP' }],
        [
          { name: 'b', port: 20005, protocol: 'TCP' },
          { name: 'c', port: 443, protocol: 'TCP' },
        ],
      ),
    ).toEqual({
      free: [
        { from: 20001, to: 20004 },
        { from: 20006, to: 20009 },
      ],
      taken: [20000, 20005],
    });
  });
});

describe('planSharedListener', () => {
  it('adds one listener to the parsed manifest, keeping the platform comments', () => {
    const result = plan();
    expect(result.gatewayChanged).toBe(true);
    expect(result.gatewayFile.path).toBe('platform/gateways/shared-nlb.yaml');
    expect(result.gatewayFile.content).toContain(
      '# Owned by the platform team.',
    );
    expect(result.gatewayFile.content).toContain(
      "# The platform's own listener.",
    );
    const edited = yaml.parse(result.gatewayFile.content);
    expect(edited.spec.listeners).toEqual([
      { name: 'platform-dns', protocol: 'UDP', port: 20000 },
      {
        name: 'team-a-db',
        protocol: 'TCP',
        port: 20001,
        allowedRoutes: {
          namespaces: {
            from: 'Selector',
            selector: { matchLabels: { 'shared-nlb': 'yes' } },
          },
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }],
        },
      },
    ]);
    expect(result.gatewayDiff).toContain('+    - name: team-a-db');
    expect(result.gatewayDiff).not.toMatch(/^-[^-]/m);
  });

  it('renders the route in the app namespace with the shared parent and the listener as its section', () => {
    const [route, ...rest] = plan().manifests;
    expect(rest).toEqual([]);
    expect(route.path).toBe('tcproute-db.yaml');
    expect(route.manifest).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name: 'db', namespace: 'team-a' },
      spec: {
        parentRefs: [
          {
            kind: 'Gateway',
            namespace: 'platform-gateways',
            name: 'shared-nlb',
            sectionName: 'team-a-db',
          },
        ],
        rules: [{ backendRefs: [{ name: 'postgres', port: 5432 }] }],
      },
    });
  });

  it('grants the route access to a backend in another namespace', () => {
    const result = plan({
      request: {
        ...REQUEST,
        backend: { service: 'postgres', port: 5432, namespace: 'team-a-data' },
      },
    });
    const [route, grant] = result.manifests.map(m => m.manifest);
    expect(route.spec?.rules[0].backendRefs[0].namespace).toBe('team-a-data');
    expect(grant).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'team-a-db', namespace: 'team-a-data' },
      spec: {
        from: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'TCPRoute',
            namespace: 'team-a',
          },
        ],
        to: [{ group: '', kind: 'Service', name: 'postgres' }],
      },
    });
  });

  it('renders v1alpha2 routes for the older controller profile', () => {
    const [route] = plan({
      profile: CONTROLLER_PROFILES['lbc-v2.17'],
    }).manifests;
    expect(route.manifest.apiVersion).toBe(
      'gateway.networking.k8s.io/v1alpha2',
    );
  });

  it('keeps an identical listener of an earlier run and changes nothing', () => {
    const first = plan();
    const again = plan({ repoGatewayYaml: first.gatewayFile.content });
    expect(again.gatewayChanged).toBe(false);
    expect(again.gatewayFile.content).toBe(first.gatewayFile.content);
  });

  it.each<[string, Partial<Parameters<typeof planSharedListener>[0]>, RegExp]>([
    [
      'a port taken live',
      {
        liveGateway: yaml.parse(
          REPO_YAML.replace('port: 20000', 'port: 20001'),
        ),
        repoGatewayYaml: REPO_YAML.replace('port: 20000', 'port: 20001'),
      },
      /listenerPort: port 20001 is taken on shared Gateway prod\/platform-gateways\/shared-nlb \(listener platform-dns\) \[shared-port-taken\]/,
    ],
    [
      'a port taken in the repository only (merged, not yet applied)',
      {
        repoGatewayYaml: `${REPO_YAML}    - name: team-b
      protocol: TCP
      port: 20001
`,
      },
      /port 20001 is taken.*\(listener team-b\) \[shared-port-taken\]/,
    ],
    [
      "a port another developer's pull request still under review adds",
      { pendingClaims: [PENDING_CLAIM] },
      /listenerPort: pull request #4 \(https:\/\/git\.example\.com\/platform\/gitops\/pulls\/4\), still open, adds listener team-b-db with port 20001 to shared Gateway prod\/platform-gateways\/shared-nlb: choose another port, or wait until it is merged or closed \[shared-port-pending\]/,
    ],
    [
      'a listener name a pull request still under review adds',
      {
        pendingClaims: [{ ...PENDING_CLAIM, name: 'team-a-db', port: 20005 }],
      },
      /listenerName: pull request #4 .* adds listener team-a-db with port 20005 .*: choose another name.* \[shared-listener-name-pending\]/,
    ],
    [
      "a port the base has when the run's review branch predates it",
      {
        baseGateway: yaml.parse(
          `${REPO_YAML}    - name: team-c\n      protocol: TCP\n      port: 20001\n`,
        ),
      },
      /port 20001 is taken.*\(listener team-c\) \[shared-port-taken\]/,
    ],
    [
      'a listener name in use',
      { request: { ...REQUEST, listenerName: 'platform-dns' } },
      /listenerName: .* already has a listener named platform-dns \[shared-listener-name-taken\]/,
    ],
    [
      'a port outside the range',
      { request: { ...REQUEST, listenerPort: 443 } },
      /listenerPort: 443 is not among the ports .* \(20000-20009\) \[shared-port-range\]/,
    ],
    [
      'a namespace the selector does not admit',
      { routeNamespaceLabels: { 'shared-nlb': 'no' } },
      /namespace: routes from namespace team-a may not attach .*shared-nlb=yes.*\[shared-namespace-not-allowed\]/,
    ],
    [
      'a live listener the repository lacks',
      {
        liveGateway: yaml.parse(`${REPO_YAML}    - name: hotfix
      protocol: TCP
      port: 30000
`),
      },
      /live listener hotfix \(TCP 30000\) is missing .* \[shared-gateway-drift\]/,
    ],
    [
      'a Gateway that is not live',
      { liveGateway: undefined },
      /\[shared-gateway-not-live\]/,
    ],
    [
      'a manifest of another Gateway',
      { repoGatewayYaml: REPO_YAML.replace('name: shared-nlb', 'name: x') },
      /is not the Gateway platform-gateways\/shared-nlb.* \[shared-gateway-manifest-invalid\]/,
    ],
    [
      'a manifest with two documents',
      { repoGatewayYaml: `${REPO_YAML}---\nkind: Secret\n` },
      /exactly one YAML document.* \[shared-gateway-manifest-invalid\]/,
    ],
    [
      'a manifest with aliases',
      {
        repoGatewayYaml: REPO_YAML.replace(
          'gatewayClassName: aws-nlb',
          'gatewayClassName: &c aws-nlb\n  x: *c',
        ),
      },
      /uses YAML aliases.* \[shared-gateway-manifest-invalid\]/,
    ],
    [
      'a UDP request when only TCP is offered',
      {
        shared: {
          ...readSharedGateways(config(ENTRY))[0],
          protocols: ['TCP'],
        },
        request: { ...REQUEST, protocol: 'UDP' },
      },
      /protocol: UDP is not offered .* \[shared-protocol\]/,
    ],
  ])('refuses %s, naming the field and the rule', (_what, change, message) => {
    expect(() => plan(change)).toThrow(message);
  });

  it("takes another port than the pending ones, and a review branch that predates the base's listeners is no drift", () => {
    const merged = `${REPO_YAML}    - name: team-c\n      protocol: TCP\n      port: 20002\n`;
    const planned = plan({
      pendingClaims: [{ ...PENDING_CLAIM, port: 20003 }],
      liveGateway: yaml.parse(merged),
      baseGateway: yaml.parse(merged),
    });
    expect(planned.gatewayChanged).toBe(true);
  });

  it('admits the Gateway namespace only with from: Same, and any with All', () => {
    const [shared] = readSharedGateways(config(ENTRY));
    expect(() =>
      plan({ shared: { ...shared, allowedRoutes: { from: 'Same' } } }),
    ).toThrow(/only its own namespace/);
    expect(
      plan({
        shared: { ...shared, allowedRoutes: { from: 'All' } },
        routeNamespaceLabels: {},
      }).gatewayChanged,
    ).toBe(true);
  });
});
