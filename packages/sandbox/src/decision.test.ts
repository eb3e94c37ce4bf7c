import { ConfigReader } from '@backstage/config';
import { sandboxDecision } from './decision';

const noCluster = {
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [{ type: 'config', clusters: [] }],
  },
};

describe('sandboxDecision', () => {
  it('starts the sandbox when no cluster and no AWS account is configured (the shipped app-config.yaml)', () => {
    expect(sandboxDecision(new ConfigReader(noCluster), {})).toEqual({
      start: true,
      reasons: [],
    });
    expect(sandboxDecision(new ConfigReader({}), {})).toEqual({
      start: true,
      reasons: [],
    });
  });

  it('stays off when a cluster is configured for the Kubernetes plugin', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              { name: 'prod-eu', url: 'https://10.0.0.1', authProvider: 'aws' },
            ],
          },
        ],
      },
    });
    expect(sandboxDecision(config, {})).toEqual({
      start: false,
      reasons: [
        'kubernetes.clusterLocatorMethods[0] configures cluster(s) prod-eu',
      ],
    });
  });

  it('stays off when clusters are located at runtime (catalog, gke, …)', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [] },
          { type: 'catalog' },
        ],
      },
    });
    expect(sandboxDecision(config, {}).reasons).toEqual([
      'kubernetes.clusterLocatorMethods[1] is of type catalog',
    ]);
  });

  it.each([
    [
      { aws: { mainAccount: { accessKeyId: 'AKIA', secretAccessKey: 's' } } },
      'aws.mainAccount is configured',
    ],
    [
      { aws: { accounts: [{ accountId: '123456789012', roleName: 'r' }] } },
      'aws.accounts is configured',
    ],
    [
      { aws: { accountDefaults: { roleName: 'r' } } },
      'aws.accountDefaults is configured',
    ],
  ])('stays off when AWS is configured: %j', (aws, reason) => {
    expect(
      sandboxDecision(new ConfigReader({ ...noCluster, ...aws }), {}),
    ).toEqual({ start: false, reasons: [reason] });
  });

  it('stays off when the environment carries AWS credentials the SDK would use', () => {
    const decision = sandboxDecision(new ConfigReader(noCluster), {
      AWS_PROFILE: 'work',
      AWS_REGION: 'eu-west-1',
    });
    expect(decision).toEqual({
      start: false,
      reasons: ['AWS credentials in the environment (AWS_PROFILE)'],
    });
  });

  it('an empty aws.accounts list is not an account', () => {
    expect(
      sandboxDecision(
        new ConfigReader({ ...noCluster, aws: { accounts: [] } }),
        {},
      ).start,
    ).toBe(true);
  });

  it('GATEWAY_PORTAL_SANDBOX=off keeps it off; any other value does not force it on', () => {
    expect(
      sandboxDecision(new ConfigReader(noCluster), {
        GATEWAY_PORTAL_SANDBOX: 'off',
      }).start,
    ).toBe(false);
    const withCluster = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [{ name: 'a', url: 'https://x' }] },
        ],
      },
    });
    expect(
      sandboxDecision(withCluster, { GATEWAY_PORTAL_SANDBOX: 'on' }).start,
    ).toBe(false);
  });
});
