import { AWS_GATEWAY_ACTION_IDS } from '@gateway-portal/plugin-aws-gateway-node';
import { DEFAULT_PRIVILEGED_ACTIONS, expandActionPatterns } from './actionIds';

describe('expandActionPatterns', () => {
  it('expands * against the known ids and keeps exact ids as they are', () => {
    expect(expandActionPatterns(['aws-gateway:iam:*'])).toEqual([
      'aws-gateway:iam:ensure-pod-identity-role',
      'aws-gateway:iam:ensure-policy',
    ]);
    expect(
      expandActionPatterns([
        'aws-gateway:*:render',
        'publish:github',
        'aws-gateway:iam:ensure-policy',
      ]),
    ).toEqual([
      'aws-gateway:controller:render',
      'aws-gateway:endpoint:render',
      'aws-gateway:iam:ensure-policy',
      'publish:github',
    ]);
    expect(expandActionPatterns(['aws-gateway:*'])).toEqual(
      [...AWS_GATEWAY_ACTION_IDS].sort(),
    );
    expect(expandActionPatterns(DEFAULT_PRIVILEGED_ACTIONS)).toHaveLength(6);
  });

  it('treats the other characters of a pattern literally', () => {
    expect(expandActionPatterns(['a.b:*'], ['a.b:c', 'axb:c'])).toEqual([
      'a.b:c',
    ]);
  });

  it('refuses a pattern that matches nothing, and empty ids', () => {
    expect(() => expandActionPatterns(['publish:*'])).toThrow(
      /matches none of the known action ids/,
    );
    expect(() => expandActionPatterns([' '])).toThrow(/empty action id/);
  });

  it('gives no glob syntax but * a meaning (attack cases)', () => {
    const ids = ['aws-gateway:iam:a', 'aws-gateway:iam:b', 'x/aws-gateway:iam'];
    // Braces, ?, classes and ! are literal: each of these matches no id.
    for (const pattern of [
      'aws-gateway:iam:{a,b}*',
      'aws-gateway:iam:?*',
      'aws-gateway:iam:[ab]*',
      '!aws-gateway:iam:a*',
    ]) {
      expect(() => expandActionPatterns([pattern], ids)).toThrow(
        /matches none of the known action ids/,
      );
    }
    expect(() => expandActionPatterns(['*/aws-gateway:*'], ids)).toThrow(
      'awsGateway.permissions.privilegedActions: "*/aws-gateway:*" is not a name pattern: names contain no "/"',
    );
    expect(expandActionPatterns(['*:iam*'], ids)).toEqual([
      'aws-gateway:iam:a',
      'aws-gateway:iam:b',
    ]);
  });
});
