import { ConfigReader } from '@backstage/config';
import { AwsGuardrails } from './awsGuardrails';

const ACCOUNT = '111122223333';

function guardrails(provisioning: Record<string, any> = {}) {
  return AwsGuardrails.fromConfig(
    new ConfigReader({
      awsGateway: {
        provisioning: {
          allowedAccountIds: [ACCOUNT],
          allowedRegions: ['eu-west-1'],
          allowedClusters: ['demo'],
          ...provisioning,
        },
      },
    }),
  );
}

describe('AwsGuardrails', () => {
  it('applies the documented defaults', () => {
    const { settings } = AwsGuardrails.fromConfig(new ConfigReader({}));
    expect(settings).toMatchObject({
      allowedAccountIds: [],
      iam: {
        path: '/backstage/',
        roleNamePrefix: 'backstage-',
        policyNamePrefix: 'backstage-',
        allowAdoptingExistingRoles: false,
        allowUpdatingUnmanagedPolicies: false,
      },
      podIdentity: {
        allowReplacingAssociationRole: false,
        allowedServiceAccounts: ['kube-system/aws-load-balancer-controller'],
      },
    });
  });

  it('refuses every account, region and cluster when none is configured', () => {
    const g = AwsGuardrails.fromConfig(new ConfigReader({}));
    expect(() => g.accountId('accountId', ACCOUNT)).toThrow(
      /^accountId: "111122223333" is not allowed/,
    );
    expect(() => g.region('region', 'eu-west-1')).toThrow(/allowedRegions/);
    expect(() => g.cluster('cluster', 'demo')).toThrow(/allowedClusters/);
  });

  it('uses InputError for malformed values and NotAllowedError for disallowed ones', () => {
    const g = guardrails();
    expect(() => g.accountId('accountId', 'abc')).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
    expect(() => g.accountId('accountId', '999999999999')).toThrow(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
  });

  it('accepts policy ARNs by exact or trailing-wildcard pattern, or by account, path and prefix', () => {
    const g = guardrails({
      iam: {
        allowedPolicyArns: [
          'arn:aws:iam::aws:policy/ReadOnly*',
          'arn:aws:iam::aws:policy/Exact',
        ],
      },
    });
    expect(
      g.attachablePolicyArn('p', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    ).toBeTruthy();
    expect(
      g.attachablePolicyArn('p', 'arn:aws:iam::aws:policy/Exact'),
    ).toBeTruthy();
    expect(() =>
      g.attachablePolicyArn('p', 'arn:aws:iam::aws:policy/ExactNot'),
    ).toThrow(/not allowed/);
    expect(
      g.attachablePolicyArn(
        'p',
        `arn:aws:iam::${ACCOUNT}:policy/backstage/team/backstage-x`,
      ),
    ).toBeTruthy();
    expect(() =>
      g.attachablePolicyArn(
        'p',
        `arn:aws:iam::${ACCOUNT}:policy/backstage/other-x`,
      ),
    ).toThrow(/not allowed/);
    expect(() =>
      g.attachablePolicyArn(
        'p',
        `arn:aws:iam:eu-west-1:${ACCOUNT}:policy/backstage/backstage-x`,
      ),
    ).toThrow(/must be an IAM policy ARN/);
  });

  it('reads an allowed policy ARN entry as exact or a prefix, never as a pattern', () => {
    const g = guardrails({
      iam: {
        allowedPolicyArns: [
          'arn:aws:iam::aws:policy/service-role/*',
          'arn:aws:iam::aws:policy/Read.nly*',
          'arn:aws:iam::aws:policy/{A,B}',
        ],
      },
    });
    // The trailing * is a prefix: it spans the rest, paths included.
    expect(
      g.attachablePolicyArn(
        'p',
        'arn:aws:iam::aws:policy/service-role/team/AWSRole',
      ),
    ).toBeTruthy();
    // Nothing else is syntax: no regex dot, no braces, no ? or [].
    for (const value of [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/A',
      'arn:aws:iam::aws:policy/service-roleX',
    ]) {
      expect(() => g.attachablePolicyArn('p', value)).toThrow(/not allowed/);
    }
  });

  it('refuses an allowed policy ARN pattern with a * before its end at startup', () => {
    expect(() =>
      guardrails({
        iam: { allowedPolicyArns: ['arn:aws:iam::*:policy/backstage-x'] },
      }),
    ).toThrow(
      'Invalid configuration: awsGateway.provisioning.iam.allowedPolicyArns[0] may contain * only at its end',
    );
  });

  it('lets an input narrow an allowance but never widen it', () => {
    const off = guardrails();
    expect(
      off.allowance('f', undefined, 'iam.allowAdoptingExistingRoles'),
    ).toBe(false);
    expect(off.allowance('f', false, 'iam.allowAdoptingExistingRoles')).toBe(
      false,
    );
    expect(() =>
      off.allowance('f', true, 'iam.allowAdoptingExistingRoles'),
    ).toThrow(/^f: true is not allowed/);
    const on = guardrails({ iam: { allowAdoptingExistingRoles: true } });
    expect(on.allowance('f', undefined, 'iam.allowAdoptingExistingRoles')).toBe(
      true,
    );
    expect(on.allowance('f', false, 'iam.allowAdoptingExistingRoles')).toBe(
      false,
    );
  });

  it('merges input tags under the configured ones', () => {
    const g = guardrails({ iam: { tags: { team: 'platform' } } });
    expect(g.tags('tags', { team: 'mine', app: 'shop' })).toEqual({
      team: 'platform',
      app: 'shop',
    });
  });

  it.each([
    [
      { allowedAccountIds: ['12'] },
      /allowedAccountIds\[0\] must be a 12-digit account id/,
    ],
    [
      { allowedRegions: ['Europe'] },
      /allowedRegions\[0\] must be a region name/,
    ],
    [{ iam: { path: 'backstage' } }, /iam.path must start and end with "\/"/],
    [{ iam: { roleNamePrefix: 'a b' } }, /iam.roleNamePrefix may only contain/],
    [
      { iam: { permissionsBoundaryArn: 'arn:aws:iam::1:role/x' } },
      /iam.permissionsBoundaryArn must be an IAM policy ARN/,
    ],
    [
      { iam: { tags: { 'aws-gateway.io/managed-by': 'x' } } },
      /is reserved for the managed-by tag/,
    ],
    [
      { podIdentity: { allowedServiceAccounts: ['just-a-name'] } },
      /allowedServiceAccounts\[0\] must be namespace\/serviceAccount/,
    ],
    [
      {
        controller: {
          policyUrlTemplate: 'https://user:pw@mirror.example/{version}.json',
        },
      },
      /without credentials/,
    ],
  ])(
    'fails at startup on invalid configuration %#',
    (provisioning, message) => {
      expect(() => guardrails(provisioning)).toThrow(message);
    },
  );

  it('does not echo credentials of an invalid URL template', () => {
    expect(() =>
      guardrails({
        controller: {
          policyUrlTemplate:
            'https://user:s3cret@mirror.example/{version}.json',
        },
      }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('s3cret'),
      }),
    );
  });
});
