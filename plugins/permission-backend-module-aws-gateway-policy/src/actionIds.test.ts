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
});
