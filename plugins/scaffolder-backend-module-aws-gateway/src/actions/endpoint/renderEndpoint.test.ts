import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesClusterRegistry,
  readGatewayGuardrails,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { testActionContext } from '../support/__testUtils__/testContext';
import { createRenderEndpointAction } from './renderEndpoint';
import { examples } from './renderEndpoint.examples';

const classic = yaml.parse(examples[0].example).steps[0].input;

/** A registry that must never be asked: these tests run without a cluster. */
const noClusters: KubernetesClusterRegistry = {
  listClusters: () => [],
  getKubeConfig: async () => {
    throw new Error('no cluster in unit tests');
  },
};

describe('aws-gateway:endpoint:render', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'render-endpoint-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  function action(gateways: Record<string, any> = {}) {
    const config = new ConfigReader({ awsGateway: { provisioning: { gateways } } });
    return createRenderEndpointAction({ guardrails: readGatewayGuardrails(config), clusters: noClusters });
  }

  /** Applies the schema defaults the scaffolder would fill in. */
  function withDefaults(input: Record<string, any>): Record<string, any> {
    return { scheme: 'internal', sourceCidrs: [], targetType: 'ip', serverDryRun: true, outputDir: 'manifests', ...input };
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

  it.each(examples.map(e => [e.description, e.example]))('runs the example: %s', async (_d, example) => {
    const input = withDefaults(yaml.parse(example).steps[0].input);
    const ctx = testActionContext(input, { workspacePath: workspace });
    await action().handler(ctx);
    const files: string[] = (ctx.output as jest.Mock).mock.calls.find(c => c[0] === 'files')[1];
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(writtenFiles()).toEqual([...files].sort());
    for (const f of files) {
      const manifest = yaml.parse(fs.readFileSync(path.join(workspace, f), 'utf8'));
      expect(manifest.metadata.namespace).toBe(input.namespace);
    }
  });

  it('writes the classic example with the outputs a template links to', async () => {
    const ctx = testActionContext(withDefaults(classic), { workspacePath: workspace });
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
    });
    const route = yaml.parse(fs.readFileSync(path.join(workspace, 'manifests/tcproute-tcp-backend-aws.yaml'), 'utf8'));
    expect(route.spec.rules[0].backendRefs[0]).toEqual({ group: '', kind: 'Service', name: 'backend', port: 3000 });
  });

  it('uses the configured default profile and class when the input names none', async () => {
    const { controllerProfile: _omit, ...input } = classic;
    const ctx = testActionContext(withDefaults(input), { workspacePath: workspace });
    await action({ defaultControllerProfile: 'lbc-v2.17', gatewayClassName: 'public-nlb' }).handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.controllerProfile).toBe('lbc-v2.17');
    expect(outputs.controllerProfileSource).toBe('configuration');
    expect(outputs.routeApiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    const gw = yaml.parse(fs.readFileSync(path.join(workspace, 'manifests/gateway-aws-tcp-gateway.yaml'), 'utf8'));
    expect(gw.spec.gatewayClassName).toBe('public-nlb');
  });

  // Every row has four entries: jest would pass its done callback in a missing fourth.
  const badInputs: Array<[string, Record<string, unknown>, RegExp, Record<string, any>]> = [
    ['hostname on a TCP listener', { listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 8080, hostname: 'x.example.com' }] }, /listeners\[0\]\.hostname: TCP listeners must not set a hostname.*\[listener-hostname-l4\]/, {}],
    ['internet-facing without source CIDRs', { sourceCidrs: [] }, /sourceCidrs: an internet-facing endpoint needs explicit source CIDRs.*\[open-to-world\]/, {}],
    ['lower-case health-check protocol', { healthCheck: { protocol: 'tcp' } }, /healthCheck\.protocol "tcp" must be upper case: "TCP".*\[health-check-protocol-case\]/, {}],
    ['a listener port outside the guardrail', { listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 22 }] }, /listeners\[0\]\.port 22 is not an allowed listener port \(configuration allows 1024-65535\)/, { allowedListenerPorts: ['1024-65535'] }],
    ['a namespace outside the guardrail', { namespace: 'kube-system' }, /namespace "kube-system" is not allowed \(configuration allows default\)/, { allowedNamespaces: ['default'] }],
    ['a route to a missing listener', { routes: [{ name: 'r', listener: 'nope', backends: [{ service: 'backend', port: 3000 }] }] }, /routes\[0\]\.listener "nope" is not one of the listeners/, {}],
    ['a malformed CIDR', { sourceCidrs: ['203.0.113.0'] }, /sourceCidrs\[0\] "203\.0\.113\.0" is not an IPv4 or IPv6 CIDR/, {}],
  ];

  it.each(badInputs)('refuses %s and writes nothing', async (_name, change, message, gateways) => {
    const ctx = testActionContext(withDefaults({ ...classic, ...change }), { workspacePath: workspace });
    await expect(action(gateways).handler(ctx)).rejects.toThrow(message);
    expect(writtenFiles()).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('refuses a cluster that configuration does not allow before asking the registry', async () => {
    const ctx = testActionContext(withDefaults({ ...classic, cluster: 'prod' }), { workspacePath: workspace });
    await expect(action().handler(ctx)).rejects.toThrow(
      'cluster: "prod" is not allowed; it must be listed in awsGateway.provisioning.allowedClusters',
    );
    expect(writtenFiles()).toEqual([]);
  });

  it('refuses an output directory outside the workspace', async () => {
    const ctx = testActionContext(withDefaults({ ...classic, outputDir: '../escape' }), { workspacePath: workspace });
    await expect(action().handler(ctx)).rejects.toThrow(/outside/i);
  });

  it('renders the same files in a dry run', async () => {
    const ctx = testActionContext(withDefaults(classic), { workspacePath: workspace, isDryRun: true });
    await action().handler(ctx);
    expect(writtenFiles()).toHaveLength(4);
  });
});
