import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readStatusConfig } from './config';

const read = (status: JsonObject) =>
  readStatusConfig(new ConfigReader({ awsGateway: { status } }));

describe('readStatusConfig: authorization, limits and deadlines', () => {
  it('has bounded defaults', () => {
    expect(read({})).toMatchObject({
      kubernetesTimeoutMs: 10_000,
      awsTimeoutMs: 10_000,
      maxGatewaysPerEntity: 25,
      maxTargetGroupsPerGateway: 20,
      maxConcurrentCallsPerCluster: 32,
      namespaceOwners: [],
    });
  });

  it('normalises namespace owners as entity refs', () => {
    expect(
      read({
        namespaceOwners: [
          { namespace: 'shop', owners: ['Team-Shop', 'user:default/ann'] },
        ],
      }).namespaceOwners,
    ).toEqual([
      {
        namespace: 'shop',
        owners: ['group:default/team-shop', 'user:default/ann'],
      },
    ]);
  });

  it.each([
    [
      { maxGatewaysPerEntity: 0 },
      /maxGatewaysPerEntity must be a positive integer/,
    ],
    [{ awsTimeoutSeconds: -1 }, /awsTimeoutSeconds must be a positive number/],
    [
      { namespaceOwners: [{ namespace: 'Shop!', owners: [] }] },
      /namespaceOwners\[0\]\.namespace "Shop!" is not a namespace name/,
    ],
    [
      { namespaceOwners: [{ namespace: 'shop', owners: [':'] }] },
      /namespaceOwners\[0\]\.owners\[0\]:? ":" is not an entity ref/,
    ],
    [
      { clusters: [{ name: 'c', region: 'evil.example.com' }] },
      /clusters\[0\]\.region "evil.example.com" is not an AWS region name/,
    ],
    [
      { clusters: [{ name: 'c', region: 'eu-west-1', accountId: '12' }] },
      /clusters\[0\]\.accountId "12" is not a 12-digit AWS account id/,
    ],
  ])('refuses %j at startup', (status, message) => {
    expect(() => read(status)).toThrow(message);
  });
});
