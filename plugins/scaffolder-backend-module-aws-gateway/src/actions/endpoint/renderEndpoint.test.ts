import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { readGatewayGuardrails } from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import yaml from 'yaml';
import { testActionContext } from '../support/__testUtils__/testContext';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { createRenderEndpointAction } from './renderEndpoint';
import { examples } from './renderEndpoint.examples';

const classic = yaml.parse(examples[0].example).steps[0].input;

/** A registry that must never be asked: these tests run without a cluster. */
const noClusters = new InMemoryKubernetesClusters();

describe('aws-gateway:endpoint:render', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'render-endpoint-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  /** The user and catalog the ownership rule reads, faked in-process. */
  const catalogEntities = new Map<string, Entity>();
  let ownershipRefs: string[] = [];
  const catalogReads: Array<{
    ref: string;
    credentials: BackstageCredentials;
  }> = [];

  function component(
    ref: string,
    owner: string | undefined,
    kubernetesId?: string,
  ): Entity {
    const [, namespace, name] = /^component:([^/]+)\/(.+)$/.exec(ref)!;
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace,
        ...(kubernetesId
          ? { annotations: { 'backstage.io/kubernetes-id': kubernetesId } }
          : {}),
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        ...(owner ? { owner } : {}),
      },
    };
    catalogEntities.set(ref, entity);
    return entity;
  }

  beforeEach(() => {
    catalogEntities.clear();
    catalogReads.length = 0;
    ownershipRefs = ['user:default/mock', 'group:default/guests'];
    component('component:default/backend', 'guests', 'backend');
    component('component:default/payments', 'group:default/team-b', 'payments');
  });

  function action(
    gateways: Record<string, any> = {},
    awsGateway: Record<string, any> = {},
  ) {
    const config = new ConfigReader({
      awsGateway: { provisioning: { gateways }, ...awsGateway },
    });
    const ownership = InitiatorOwnership.fromConfig(config, {
      userInfo: {
        getUserInfo: async () => ({
          userEntityRef: 'user:default/mock',
          ownershipEntityRefs: ownershipRefs,
        }),
      },
      catalog: {
        getEntityByRef: async (ref, { credentials }) => {
          catalogReads.push({ ref: String(ref), credentials });
          return catalogEntities.get(String(ref));
        },
      },
    });
    return createRenderEndpointAction({
      guardrails: readGatewayGuardrails(config),
      clusters: noClusters,
      ownership,
    });
  }

  /** Applies the schema defaults the scaffolder would fill in. */
  function withDefaults(input: Record<string, any>): Record<string, any> {
    return {
      scheme: 'internal',
      sourceCidrs: [],
      targetType: 'ip',
      serverDryRun: true,
      outputDir: 'manifests',
      ...input,
    };
  }

  function writtenFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(path.relative(workspace, p));
      }
    };
    walk(workspace);
    return out.sort();
  }

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_d, example) => {
      const input = withDefaults(yaml.parse(example).steps[0].input);
      const ctx = testActionContext(input, { workspacePath: workspace });
      await action().handler(ctx);
      const files: string[] = (ctx.output as jest.Mock).mock.calls.find(
        c => c[0] === 'files',
      )[1];
      expect(files.length).toBeGreaterThanOrEqual(4);
      expect(writtenFiles()).toEqual([...files].sort());
      for (const f of files) {
        const manifest = yaml.parse(
          fs.readFileSync(path.join(workspace, f), 'utf8'),
        );
        expect(manifest.metadata.namespace).toBe(input.namespace);
      }
    },
  );

  it('writes the classic example with the outputs a template links to', async () => {
    const ctx = testActionContext(withDefaults(classic), {
      workspacePath: workspace,
    });
    await action().handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs).toEqual({
      controllerProfile: 'lbc-v3.5',
      controllerProfileSource: 'input',
      routeApiVersion: 'gateway.networking.k8s.io/v1',
      files: [
        'manifests/loadbalancerconfiguration-aws-tcp-gateway.yaml',
        'manifests/targetgroupconfiguration-backend.yaml',
        'manifests/gateway-aws-tcp-gateway.yaml',
        'manifests/tcproute-tcp-backend-aws.yaml',
      ],
      outputDir: 'manifests',
      gatewayRef: 'default/aws-tcp-gateway',
      serverDryRun: 'skipped',
      controllerNotes: [
        'Port 8080: TCP listener "tcp-app" becomes a TCP load balancer listener, with one target group: backend:3000.',
      ],
    });
    const route = yaml.parse(
      fs.readFileSync(
        path.join(workspace, 'manifests/tcproute-tcp-backend-aws.yaml'),
        'utf8',
      ),
    );
    expect(route.spec.rules[0].backendRefs[0]).toEqual({
      group: '',
      kind: 'Service',
      name: 'backend',
      port: 3000,
    });
  });

  it('renders several listeners with weighted backends and TCP + UDP on one port, and says how the controller serves them', async () => {
    const input = withDefaults(yaml.parse(examples[2].example).steps[0].input);
    const ctx = testActionContext(input, { workspacePath: workspace });
    await action().handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.files).toEqual([
      'manifests/loadbalancerconfiguration-edge.yaml',
      'manifests/targetgroupconfiguration-backend.yaml',
      'manifests/targetgroupconfiguration-backend-canary.yaml',
      'manifests/targetgroupconfiguration-coredns.yaml',
      'manifests/gateway-edge.yaml',
      'manifests/tcproute-edge-app.yaml',
      'manifests/tcproute-edge-dns-tcp.yaml',
      'manifests/udproute-edge-dns-udp.yaml',
    ]);
    const read = (file: string) =>
      yaml.parse(fs.readFileSync(path.join(workspace, file), 'utf8'));
    expect(
      read('manifests/gateway-edge.yaml').spec.listeners.map(
        (l: any) => `${l.name} ${l.protocol} ${l.port}`,
      ),
    ).toEqual(['app TCP 8080', 'dns-tcp TCP 53', 'dns-udp UDP 53']);
    const app = read('manifests/tcproute-edge-app.yaml');
    expect(app.spec.parentRefs[0].sectionName).toBe('app');
    expect(app.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'backend', port: 3000, weight: 80 },
      {
        group: '',
        kind: 'Service',
        name: 'backend-canary',
        port: 3000,
        weight: 20,
      },
    ]);
    expect(
      read('manifests/udproute-edge-dns-udp.yaml').spec.parentRefs[0]
        .sectionName,
    ).toBe('dns-udp');
    expect(outputs.controllerNotes).toEqual([
      expect.stringMatching(
        /^Port 8080: .* 2 target groups in one weighted forward action: backend:3000 \(weight 80, 80% of new connections\), backend-canary:3000 \(weight 20, 20% of new connections\)\.$/,
      ),
      expect.stringMatching(
        /^Port 53: listeners "dns-tcp" \(TCP\) and "dns-udp" \(UDP\) become ONE TCP_UDP load balancer listener\. .*oldest of routes "edge-dns-tcp" and "edge-dns-udp" only/,
      ),
    ]);
  });

  it('says how the controller serves the endpoint in the log of a dry run', async () => {
    const input = withDefaults(yaml.parse(examples[2].example).steps[0].input);
    const ctx = testActionContext(input, {
      workspacePath: workspace,
      isDryRun: true,
    });
    const info = jest.spyOn(ctx.logger, 'info');
    await action().handler(ctx);
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/^Port 53: .*ONE TCP_UDP load balancer listener/),
    );
  });

  it('uses the configured default profile and class when the input names none', async () => {
    const { controllerProfile: _omit, ...input } = classic;
    const ctx = testActionContext(withDefaults(input), {
      workspacePath: workspace,
    });
    await action({
      defaultControllerProfile: 'lbc-v2.17',
      gatewayClassName: 'public-nlb',
    }).handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.controllerProfile).toBe('lbc-v2.17');
    expect(outputs.controllerProfileSource).toBe('configuration');
    expect(outputs.routeApiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    const gw = yaml.parse(
      fs.readFileSync(
        path.join(workspace, 'manifests/gateway-aws-tcp-gateway.yaml'),
        'utf8',
      ),
    );
    expect(gw.spec.gatewayClassName).toBe('public-nlb');
  });

  // Every row has four entries: jest would pass its done callback in a missing fourth.
  const badInputs: Array<
    [string, Record<string, unknown>, RegExp, Record<string, any>]
  > = [
    [
      'hostname on a TCP listener',
      {
        listeners: [
          {
            name: 'tcp-app',
            protocol: 'TCP',
            port: 8080,
            hostname: 'x.example.com',
          },
        ],
      },
      /listeners\[0\]\.hostname: TCP listeners must not set a hostname.*\[listener-hostname-l4\]/,
      {},
    ],
    [
      'internet-facing without source CIDRs',
      { sourceCidrs: [] },
      /sourceCidrs: an internet-facing endpoint needs explicit source CIDRs.*\[open-to-world\]/,
      {},
    ],
    [
      'lower-case health-check protocol',
      { healthCheck: { protocol: 'tcp' } },
      /healthCheck\.protocol "tcp" must be upper case: "TCP".*\[health-check-protocol-case\]/,
      {},
    ],
    [
      'a listener port outside the guardrail',
      { listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 22 }] },
      /listeners\[0\]\.port 22 is not an allowed listener port \(configuration allows 1024-65535\)/,
      { allowedListenerPorts: ['1024-65535'] },
    ],
    [
      'a namespace outside the guardrail',
      { namespace: 'kube-system' },
      /namespace "kube-system" is not allowed \(configuration allows default\)/,
      { allowedNamespaces: ['default'] },
    ],
    [
      'a route to a missing listener',
      {
        routes: [
          {
            name: 'r',
            listener: 'nope',
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
      },
      /routes\[0\]\.listener "nope" is not one of the listeners/,
      {},
    ],
    [
      "a listener's backend at a weight the load balancer refuses (named by its input field)",
      {
        listeners: [
          {
            name: 'tcp-app',
            protocol: 'TCP',
            port: 8080,
            backends: [
              { service: 'backend', port: 3000, weight: 1000 },
              { service: 'canary', port: 3000, weight: 1 },
            ],
          },
        ],
        routes: [],
      },
      /listeners\[0\]\.backends\[0\]\.weight 1000 must be an integer from 0 to 999.*\[backend-weight\]/,
      {},
    ],
    [
      'backends both on a listener and in a route',
      {
        listeners: [
          {
            name: 'tcp-app',
            protocol: 'TCP',
            port: 8080,
            backends: [{ service: 'backend', port: 3000 }],
          },
        ],
      },
      /listeners\[0\]\.backends: listener "tcp-app" has backends and is named by routes\[0\] too.*\[listener-backends-and-route\]/,
      {},
    ],
    [
      'TCP and UDP on one port with different backends',
      {
        listeners: [
          {
            name: 'dns-tcp',
            protocol: 'TCP',
            port: 5353,
            backends: [{ service: 'dns', port: 53 }],
          },
          {
            name: 'dns-udp',
            protocol: 'UDP',
            port: 5353,
            backends: [{ service: 'dns-udp', port: 53 }],
          },
        ],
        routes: [],
      },
      /listeners\[1\]\.backends must be the same Services, ports and weights as route "aws-tcp-gateway-dns-tcp"'s: TCP and UDP on port 5353 become one TCP_UDP load balancer listener.*\[tcp-udp-same-backends\]/,
      {},
    ],
    [
      'a malformed CIDR',
      { sourceCidrs: ['203.0.113.0'] },
      /sourceCidrs\[0\] "203\.0\.113\.0" is not an IPv4 or IPv6 CIDR/,
      {},
    ],
  ];

  it.each(badInputs)(
    'refuses %s and writes nothing',
    async (_name, change, message, gateways) => {
      const ctx = testActionContext(withDefaults({ ...classic, ...change }), {
        workspacePath: workspace,
      });
      await expect(action(gateways).handler(ctx)).rejects.toThrow(message);
      expect(writtenFiles()).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('refuses a cluster that configuration does not allow before asking the registry', async () => {
    const ctx = testActionContext(
      withDefaults({ ...classic, cluster: 'prod' }),
      { workspacePath: workspace },
    );
    await expect(action().handler(ctx)).rejects.toThrow(
      'cluster: "prod" is not allowed; it must be listed in awsGateway.provisioning.allowedClusters',
    );
    expect(writtenFiles()).toEqual([]);
  });

  it('refuses an output directory outside the workspace', async () => {
    const ctx = testActionContext(
      withDefaults({ ...classic, outputDir: '../escape' }),
      { workspacePath: workspace },
    );
    await expect(action().handler(ctx)).rejects.toThrow(/outside/i);
  });

  it('renders the same files in a dry run', async () => {
    const ctx = testActionContext(withDefaults(classic), {
      workspacePath: workspace,
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(writtenFiles()).toHaveLength(4);
  });

  describe('the ownership rule (awsGateway.permissions.platformTeams set)', () => {
    const enforcing = {
      permissions: { platformTeams: ['group:default/platform'] },
    };
    const payments = {
      ...classic,
      entityRef: 'component:default/payments',
      kubernetesId: 'payments',
    };

    async function refused(
      input: Record<string, any>,
      message: RegExp | string,
      awsGateway = enforcing,
      isDryRun = false,
    ) {
      const ctx = testActionContext(withDefaults(input), {
        workspacePath: workspace,
        isDryRun,
      });
      await expect(action({}, awsGateway).handler(ctx)).rejects.toThrow(
        message,
      );
      expect(writtenFiles()).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
    }

    it('lets a member of the owning group expose the component, reading it as that user', async () => {
      const ctx = testActionContext(withDefaults(classic), {
        workspacePath: workspace,
      });
      await action({}, enforcing).handler(ctx);
      expect(writtenFiles()).toHaveLength(4);
      expect(catalogReads).toEqual([
        {
          ref: 'component:default/backend',
          credentials: mockCredentials.user(),
        },
      ]);
    });

    it("refuses another team's component, naming it and the rule, and writes nothing", async () => {
      await refused(
        payments,
        'component:default/payments is owned by group:default/team-b; you may expose only components your groups own [endpoint-owner-mismatch]',
      );
    });

    it('applies the same rule to dry runs', async () => {
      await refused(payments, /\[endpoint-owner-mismatch\]/, enforcing, true);
    });

    it('lets a platform engineer expose any component', async () => {
      ownershipRefs = ['user:default/mock', 'group:default/platform'];
      const ctx = testActionContext(withDefaults(payments), {
        workspacePath: workspace,
      });
      await action({}, enforcing).handler(ctx);
      expect(writtenFiles()).toHaveLength(4);
    });

    it('refuses a component the catalog does not show the user as a bad input', async () => {
      await refused(
        { ...classic, entityRef: 'component:default/ghost' },
        'entityRef: component:default/ghost was not found in the catalog',
      );
    });

    it('refuses a component without an owner and an endpoint without a component', async () => {
      component('component:default/orphan', undefined);
      await refused(
        {
          ...classic,
          entityRef: 'component:default/orphan',
          kubernetesId: undefined,
        },
        /component:default\/orphan has no owner.*\[endpoint-owner-mismatch\]/,
      );
      await refused(
        { ...classic, entityRef: undefined },
        /entityRef is required/,
      );
    });

    it("refuses another component's kubernetes-id on an owned component", async () => {
      await refused(
        { ...classic, kubernetesId: 'payments' },
        /kubernetesId "payments" is not the backstage.io\/kubernetes-id of component:default\/backend.*\[endpoint-kubernetes-id-mismatch\]/,
      );
    });

    it('refuses a task started by a service rather than a user', async () => {
      const ctx = testActionContext(withDefaults(classic), {
        workspacePath: workspace,
      });
      ctx.getInitiatorCredentials = async () => mockCredentials.service();
      await expect(action({}, enforcing).handler(ctx)).rejects.toThrow(
        /\[endpoint-user-required\]/,
      );
      expect(writtenFiles()).toEqual([]);
    });

    it("keeps a namespace given to other owners from the component's owner, not from platform engineers", async () => {
      const withOwners = {
        ...enforcing,
        status: {
          namespaceOwners: [
            { namespace: 'default', owners: ['team-b'] },
            { namespace: 'shared', owners: ['guests', 'team-b'] },
          ],
        },
      };
      await refused(
        classic,
        'namespace default belongs to group:default/team-b (awsGateway.status.namespaceOwners), not to group:default/guests, the owner of component:default/backend [endpoint-namespace-not-owned]',
        withOwners,
      );
      const shared = testActionContext(
        withDefaults({ ...classic, namespace: 'shared' }),
        { workspacePath: workspace },
      );
      await action({}, withOwners).handler(shared);
      expect(writtenFiles()).toHaveLength(4);
      fs.rmSync(path.join(workspace, 'manifests'), { recursive: true });
      ownershipRefs = ['user:default/mock', 'group:default/platform'];
      await action({}, withOwners).handler(
        testActionContext(withDefaults(classic), { workspacePath: workspace }),
      );
      expect(writtenFiles()).toHaveLength(4);
    });

    it('keeps the backends in the namespace the rule checked, whatever extra fields the input carries', async () => {
      const routes = [
        {
          name: 'tcp-backend-aws',
          listener: 'tcp-app',
          backends: [
            { service: 'backend', port: 3000, namespace: 'kube-system' },
          ],
        },
      ];
      const ctx = testActionContext(withDefaults({ ...classic, routes }), {
        workspacePath: workspace,
      });
      await action({}, enforcing).handler(ctx);
      const route = yaml.parse(
        fs.readFileSync(
          path.join(workspace, 'manifests/tcproute-tcp-backend-aws.yaml'),
          'utf8',
        ),
      );
      expect(route.metadata.namespace).toBe('default');
      expect(route.spec.rules[0].backendRefs).toEqual([
        { group: '', kind: 'Service', name: 'backend', port: 3000 },
      ]);
    });

    it('writes the canonical component ref it checked into the manifests', async () => {
      const ctx = testActionContext(
        withDefaults({ ...classic, entityRef: 'Component:default/Backend' }),
        { workspacePath: workspace },
      );
      await action({}, enforcing).handler(ctx);
      const gw = yaml.parse(
        fs.readFileSync(
          path.join(workspace, 'manifests/gateway-aws-tcp-gateway.yaml'),
          'utf8',
        ),
      );
      expect(gw.metadata.annotations['aws-gateway.io/entity-ref']).toBe(
        'component:default/backend',
      );
    });
  });

  it('does not enforce the rule when platformTeams is unset, and says so in the task log', async () => {
    const ctx = testActionContext(
      withDefaults({
        ...classic,
        entityRef: 'component:default/payments',
        kubernetesId: 'payments',
      }),
      { workspacePath: workspace },
    );
    const warn = jest.spyOn(ctx.logger, 'warn');
    await action().handler(ctx);
    expect(writtenFiles()).toHaveLength(4);
    expect(catalogReads).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(
      /platformTeams is not set: the endpoint ownership rule is not enforced/,
    );
  });
});
