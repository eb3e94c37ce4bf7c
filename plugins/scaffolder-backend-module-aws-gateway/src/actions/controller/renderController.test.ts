import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readGatewayGuardrails } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import {
  FAKE_ACCOUNT,
  FAKE_CLUSTER,
  FAKE_REGION,
} from '../support/__testUtils__/fakeAws';
import {
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import { profileForControllerVersion } from './controllerRelease';
import { createRenderControllerAction } from './renderController';
import { examples } from './renderController.examples';

const base = yaml.parse(examples[0].example).steps[0].input;

describe('aws-gateway:controller:render', () => {
  let workspace: string;
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'render-controller-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  function action(gateways: Record<string, any> = {}) {
    return createRenderControllerAction({
      awsGuardrails: testGuardrails(),
      gatewayGuardrails: readGatewayGuardrails(
        new ConfigReader({
          awsGateway: {
            provisioning: {
              gateways: {
                allowedGatewayClassNames: ['aws-nlb', 'public-nlb'],
                ...gateways,
              },
            },
          },
        }),
      ),
    });
  }

  /** The schema defaults the scaffolder fills in. */
  function withDefaults(input: Record<string, any>): Record<string, any> {
    return {
      serviceAccountNamespace: 'kube-system',
      serviceAccountName: 'aws-load-balancer-controller',
      scheme: 'internal',
      sourceCidrs: [],
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
        else out.push(path.relative(workspace, p).split(path.sep).join('/'));
      }
    };
    walk(workspace);
    return out.sort();
  }

  const read = (file: string) =>
    fs.readFileSync(path.join(workspace, file), 'utf8');
  const outputsOf = (ctx: any) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  it('uses the unit-test account, region and cluster in its examples', () => {
    expect(base).toMatchObject({
      cluster: FAKE_CLUSTER,
      region: FAKE_REGION,
      accountId: FAKE_ACCOUNT,
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_d, example) => {
      const input = withDefaults(yaml.parse(example).steps[0].input);
      const ctx = testActionContext(input, { workspacePath: workspace });
      await action().handler(ctx);
      const outputs = outputsOf(ctx);
      expect(outputs.files).toHaveLength(3);
      expect(writtenFiles()).toEqual([...outputs.files].sort());
      const values = yaml.parse(read(outputs.helmValuesPath));
      expect(values).toMatchObject({
        clusterName: input.cluster,
        region: input.region,
      });
      expect(values.controllerConfig.featureGates.NLBGatewayAPI).toBe(true);
      const gatewayClass = yaml.parse(
        read(outputs.files.find((f: string) => f.includes('gatewayclass-'))),
      );
      expect(gatewayClass.metadata.name).toBe(input.gatewayClassName);
      expect(gatewayClass.spec.parametersRef.namespace).toBe('kube-system');
    },
  );

  it('renders v3.5.0 with v1 CRDs, the feature gates, the class and its namespaced defaults', async () => {
    const ctx = testActionContext(withDefaults(base), {
      workspacePath: workspace,
    });
    await action().handler(ctx);
    expect(outputsOf(ctx)).toEqual({
      controllerProfile: 'lbc-v3.5',
      gatewayApiCrds: 'Gateway API v1.6.0 standard channel',
      routeApiVersion: 'gateway.networking.k8s.io/v1',
      featureGates: { NLBGatewayAPI: true, ALBGatewayAPI: false },
      helmValuesPath: 'manifests/aws-load-balancer-controller-values.yaml',
      files: [
        'manifests/aws-load-balancer-controller-values.yaml',
        'manifests/loadbalancerconfiguration-aws-nlb-defaults.yaml',
        'manifests/gatewayclass-aws-nlb.yaml',
      ],
      outputDir: 'manifests',
      gatewayClassName: 'aws-nlb',
      loadBalancerConfigurationRef: 'kube-system/aws-nlb-defaults',
    });
    const valuesText = read(
      'manifests/aws-load-balancer-controller-values.yaml',
    );
    expect(valuesText).toContain(
      `# IAM role (via the EKS Pod Identity association, no service account annotation): ${base.roleArn}`,
    );
    expect(yaml.parse(valuesText)).toEqual({
      clusterName: 'demo',
      region: 'eu-west-1',
      vpcId: 'vpc-0123456789abcdef0',
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
      controllerConfig: {
        featureGates: { NLBGatewayAPI: true, ALBGatewayAPI: false },
      },
    });
    expect(yaml.parse(read('manifests/gatewayclass-aws-nlb.yaml'))).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: {
        name: 'aws-nlb',
        labels: { 'app.kubernetes.io/managed-by': expect.any(String) },
      },
      spec: {
        controllerName: 'gateway.k8s.aws/nlb',
        parametersRef: {
          group: 'gateway.k8s.aws',
          kind: 'LoadBalancerConfiguration',
          name: 'aws-nlb-defaults',
          namespace: 'kube-system',
        },
      },
    });
    const lbc = yaml.parse(
      read('manifests/loadbalancerconfiguration-aws-nlb-defaults.yaml'),
    );
    expect(lbc.apiVersion).toBe('gateway.k8s.aws/v1');
    expect(lbc.metadata).toMatchObject({
      name: 'aws-nlb-defaults',
      namespace: 'kube-system',
    });
    expect(lbc.spec).toEqual({ scheme: 'internal' });
  });

  it('targets v1beta1 CRDs and the experimental channel for v2.17.1', async () => {
    const input = withDefaults(yaml.parse(examples[1].example).steps[0].input);
    const ctx = testActionContext(input, { workspacePath: workspace });
    await action().handler(ctx);
    const outputs = outputsOf(ctx);
    expect(outputs.controllerProfile).toBe('lbc-v2.17');
    expect(outputs.routeApiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    expect(outputs.gatewayApiCrds).toMatch(/v1\.3\.0 experimental channel/);
    const lbc = yaml.parse(
      read(
        'gitops/controller/loadbalancerconfiguration-public-nlb-defaults.yaml',
      ),
    );
    expect(lbc.apiVersion).toBe('gateway.k8s.aws/v1beta1');
    expect(lbc.spec).toEqual({
      scheme: 'internet-facing',
      sourceRanges: ['203.0.113.0/24'],
      tags: { team: 'platform' },
    });
  });

  it.each([
    ['v2.16.1', undefined],
    ['v2.17.0', 'lbc-v2.17'],
    ['v3.1.0', 'lbc-v2.17'],
    ['v3.2.0', 'lbc-v3.2'],
    ['v3.4.9', 'lbc-v3.2'],
    ['v3.5.0', 'lbc-v3.5'],
    ['v3.6.0', undefined],
    ['3.5.0', undefined],
  ])('maps controller %s to profile %s', (version, profile) => {
    expect(profileForControllerVersion(version)?.id).toBe(profile);
  });

  const badInputs: Array<
    [string, Record<string, unknown>, RegExp, Record<string, any>]
  > = [
    [
      'a cluster outside the guardrail',
      { cluster: 'prod' },
      /cluster: "prod" is not allowed; it must be listed in awsGateway\.provisioning\.allowedClusters/,
      {},
    ],
    [
      'a region outside the guardrail',
      { region: 'us-east-1' },
      /region: "us-east-1" is not allowed; it must be listed in awsGateway\.provisioning\.allowedRegions/,
      {},
    ],
    [
      'a malformed account id',
      { accountId: '1234' },
      /accountId: "1234" must be a 12-digit AWS account id/,
      {},
    ],
    [
      'a service account outside the guardrail',
      { serviceAccountName: 'other' },
      /serviceAccountName: "kube-system\/other" is not allowed; it must be listed in awsGateway\.provisioning\.podIdentity\.allowedServiceAccounts/,
      {},
    ],
    [
      'a role of another account',
      { roleArn: 'arn:aws:iam::999999999999:role/backstage/backstage-x' },
      /roleArn \(account\): "999999999999" is not allowed/,
      {},
    ],
    [
      'a role ARN that is not an ARN (its fifth part no account)',
      { roleArn: 'arn:aws:iam:x:123456789012:role/backstage/backstage-x' },
      /^roleArn: ".*" must be an IAM role ARN/,
      {},
    ],
    [
      'an unsupported controller version',
      { controllerVersion: 'v2.16.1' },
      /controllerVersion "v2\.16\.1" is not supported: NLB Gateway API support needs v2\.17\.0 – v3\.5\.x \[controller-version-unsupported\]/,
      {},
    ],
    [
      'a malformed controller version',
      { controllerVersion: 'latest' },
      /controllerVersion "latest" must be a release tag like v2\.17\.1 \[controller-version\]/,
      {},
    ],
    [
      'a malformed VPC id',
      { vpcId: 'vpc-XYZ' },
      /vpcId "vpc-XYZ" must be a VPC id.*\[vpc-id\]/,
      {},
    ],
    [
      'an upper-case GatewayClass name',
      { gatewayClassName: 'AWS_NLB' },
      /gatewayClassName "AWS_NLB" must be a lower-case DNS name.*\[dns-subdomain\]/,
      {},
    ],
    [
      'an internet-facing default open to the world',
      { scheme: 'internet-facing', sourceCidrs: ['0.0.0.0/0'] },
      /sourceCidrs: the GatewayClass's internet-facing default .* needs explicit source CIDRs .*\[open-to-world\]/,
      {},
    ],
    [
      'an internet-facing default open to the world in two halves',
      { scheme: 'internet-facing', sourceCidrs: ['0.0.0.0/1', '128.0.0.0/1'] },
      /together they cover every IPv4 address.*\[open-to-world\]/,
      {},
    ],
    [
      'a default CIDR with host bits set',
      { sourceCidrs: ['10.0.0.1/8'] },
      /sourceCidrs\[0\] "10\.0\.0\.1\/8" has host bits set; the block is "10\.0\.0\.0\/8" \[cidr-host-bits\]/,
      {},
    ],
    [
      'a GatewayClass configuration does not list',
      { gatewayClassName: 'other-nlb' },
      /gatewayClassName "other-nlb" is not allowed .*allowedGatewayClassNames\) \[gateway-class-not-allowed\]/,
      {},
    ],
    [
      'a malformed CIDR',
      { sourceCidrs: ['10.0.0.0/33'] },
      /sourceCidrs\[0\] "10\.0\.0\.0\/33" is not an IPv4 or IPv6 CIDR block.*\[cidr\]/,
      {},
    ],
    [
      'a reserved tag key',
      { tags: { 'elbv2.k8s.aws/cluster': 'x' } },
      /tags\.elbv2\.k8s\.aws\/cluster: keys starting with .* are reserved.*\[tag-reserved\]/,
      {},
    ],
    [
      'a namespace that is not a DNS label',
      { loadBalancerConfigurationNamespace: 'Kube_System' },
      /loadBalancerConfigurationNamespace "Kube_System" must be a lower-case DNS label.*\[dns-label\]/,
      {},
    ],
  ];

  it.each(badInputs)(
    'refuses %s and writes nothing',
    async (_name, change, message, gateways) => {
      const ctx = testActionContext(withDefaults({ ...base, ...change }), {
        workspacePath: workspace,
      });
      await expect(action(gateways).handler(ctx)).rejects.toThrow(message);
      expect(writtenFiles()).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('allows an open internet-facing default when configuration allows it', async () => {
    const ctx = testActionContext(
      withDefaults({ ...base, scheme: 'internet-facing' }),
      { workspacePath: workspace },
    );
    await action({ allowOpenToWorld: true }).handler(ctx);
    const lbc = yaml.parse(
      read('manifests/loadbalancerconfiguration-aws-nlb-defaults.yaml'),
    );
    expect(lbc.spec).toEqual({ scheme: 'internet-facing' });
  });

  it('refuses an output directory outside the workspace', async () => {
    const ctx = testActionContext(
      withDefaults({ ...base, outputDir: '../escape' }),
      { workspacePath: workspace },
    );
    await expect(action().handler(ctx)).rejects.toThrow(
      'outputDir: "../escape" must stay inside the workspace',
    );
  });

  it('renders the same files in a dry run (the dry-run workspace is discarded)', async () => {
    const ctx = testActionContext(withDefaults(base), {
      workspacePath: workspace,
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(writtenFiles()).toHaveLength(3);
  });
});
