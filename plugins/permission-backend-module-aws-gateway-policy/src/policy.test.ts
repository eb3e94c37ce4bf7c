import { JsonObject } from '@backstage/types';
import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCreatePermission,
  templateDryRunPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { AWS_GATEWAY_ACTION_IDS } from '@gateway-portal/plugin-aws-gateway-node';
import {
  AwsGatewayPermissionPolicy,
  readAwsGatewayPermissionSettings,
} from './policy';

const PRIVILEGED = [
  'aws-gateway:controller:fetch-iam-policy',
  'aws-gateway:controller:plan',
  'aws-gateway:controller:render',
  'aws-gateway:eks:ensure-pod-identity-association',
  'aws-gateway:iam:ensure-pod-identity-role',
  'aws-gateway:iam:ensure-policy',
];
const UNPRIVILEGED = [
  'aws-gateway:endpoint:render',
  'aws-gateway:gitops:check',
  'aws-gateway:gitops:commit',
  'catalog:fetch',
];

const statusReadPermission = createPermission({
  name: 'aws-gateway.status.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const catalogReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Alice is in group:default/platform; bob only in group:default/apps. */
const MEMBERSHIP: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/Platform'],
  'user:default/bob': ['user:default/bob', 'group:default/apps'],
};

function user(ref: string): PolicyQueryUser {
  const info: BackstageUserInfo = {
    userEntityRef: ref,
    ownershipEntityRefs: MEMBERSHIP[ref] ?? [ref],
  };
  return { credentials: mockCredentials.user(ref), info };
}

function policyFor(permissions?: JsonObject) {
  const settings = readAwsGatewayPermissionSettings(
    new ConfigReader(permissions ? { awsGateway: { permissions } } : {}),
  );
  return new AwsGatewayPermissionPolicy(settings, {
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: MEMBERSHIP[ref] ?? [ref],
      };
    },
  });
}

/** Applies a scaffolder-action decision as the scaffolder does (HAS_ACTION_ID is an exact match). */
function allows(decision: PolicyDecision, action: string): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL)
    return decision.result === AuthorizeResult.ALLOW;
  expect(decision).toMatchObject({
    pluginId: 'scaffolder',
    resourceType: 'scaffolder-action',
  });
  const evaluate = (c: PermissionCriteria<PermissionCondition>): boolean => {
    if ('allOf' in c) return c.allOf.every(evaluate);
    if ('anyOf' in c) return c.anyOf.some(evaluate);
    if ('not' in c) return !evaluate(c.not);
    if (c.rule !== 'HAS_ACTION_ID')
      throw new Error(`unexpected rule ${c.rule}`);
    return (c.params as { actionId: string }).actionId === action;
  };
  return evaluate(decision.conditions);
}

const execute = { permission: actionExecutePermission };

describe('AwsGatewayPermissionPolicy', () => {
  it('allows everything when platformTeams is unset (the dev profile)', async () => {
    const policy = policyFor();
    expect(policy.enforcing).toBe(false);
    for (const who of [user('user:default/bob'), undefined]) {
      for (const permission of [
        actionExecutePermission,
        taskCreatePermission,
        statusReadPermission,
      ]) {
        expect(await policy.handle({ permission }, who)).toEqual({
          result: AuthorizeResult.ALLOW,
        });
      }
    }
  });

  it('lets a platform team member run the privileged actions', async () => {
    const policy = policyFor({ platformTeams: ['group:default/platform'] });
    const decision = await policy.handle(execute, user('user:default/alice'));
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('gives anyone else a conditional decision that refuses iam, eks and controller actions only', async () => {
    const policy = policyFor({ platformTeams: ['group:default/platform'] });
    const decision = await policy.handle(execute, user('user:default/bob'));
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    for (const action of PRIVILEGED)
      expect([action, allows(decision, action)]).toEqual([action, false]);
    for (const action of UNPRIVILEGED)
      expect([action, allows(decision, action)]).toEqual([action, true]);
  });

  it('treats a request without a user (a service) as a non-member', async () => {
    const policy = policyFor({ platformTeams: ['group:default/platform'] });
    const decision = await policy.handle(execute, undefined);
    expect(allows(decision, 'aws-gateway:iam:ensure-policy')).toBe(false);
    expect(allows(decision, 'aws-gateway:gitops:commit')).toBe(true);
  });

  it('refuses privileged actions to everyone when platformTeams is an empty list', async () => {
    const policy = policyFor({ platformTeams: [] });
    expect(policy.enforcing).toBe(true);
    const decision = await policy.handle(execute, user('user:default/alice'));
    expect(allows(decision, 'aws-gateway:iam:ensure-policy')).toBe(false);
  });

  it('allows every other permission, for members and non-members', async () => {
    const policy = policyFor({ platformTeams: ['group:default/platform'] });
    for (const permission of [
      catalogReadPermission,
      taskCreatePermission,
      templateParameterReadPermission,
      statusReadPermission,
    ]) {
      expect(
        await policy.handle({ permission }, user('user:default/bob')),
      ).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets only platform engineers dry-run a template sent in the request (red team: an unregistered template)', async () => {
    const policy = policyFor({ platformTeams: ['group:default/platform'] });
    const dryRun = { permission: templateDryRunPermission };
    expect(await policy.handle(dryRun, user('user:default/alice'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle(dryRun, user('user:default/bob'))).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle(dryRun, undefined)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(
      await policyFor({ platformTeams: [] }).handle(
        dryRun,
        user('user:default/alice'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(await policyFor().handle(dryRun, user('user:default/bob'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('honours a custom privilegedActions list, exact ids included', async () => {
    const policy = policyFor({
      platformTeams: ['group:default/platform'],
      privilegedActions: ['aws-gateway:gitops:*', 'publish:github'],
    });
    expect(policy.settings.privilegedActionIds).toEqual([
      'aws-gateway:gitops:check',
      'aws-gateway:gitops:commit',
      'publish:github',
    ]);
    const decision = await policy.handle(execute, user('user:default/bob'));
    expect(allows(decision, 'aws-gateway:gitops:commit')).toBe(false);
    expect(allows(decision, 'publish:github')).toBe(false);
    expect(allows(decision, 'aws-gateway:iam:ensure-policy')).toBe(true);
  });

  it('uses a single NOT condition for a single privileged action, and allows all for none', async () => {
    const one = await policyFor({
      platformTeams: ['group:default/platform'],
      privilegedActions: ['aws-gateway:iam:ensure-policy'],
    }).handle(execute, user('user:default/bob'));
    expect(one).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        not: {
          rule: 'HAS_ACTION_ID',
          params: { actionId: 'aws-gateway:iam:ensure-policy' },
        },
      },
    });
    const none = await policyFor({
      platformTeams: ['group:default/platform'],
      privilegedActions: [],
    }).handle(execute, user('user:default/bob'));
    expect(none).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('readAwsGatewayPermissionSettings', () => {
  it('defaults privilegedActions to the iam, eks and controller actions, expanded', () => {
    const settings = readAwsGatewayPermissionSettings(new ConfigReader({}));
    expect(settings).toEqual({
      platformTeams: undefined,
      privilegedActionIds: PRIVILEGED,
    });
    expect(AWS_GATEWAY_ACTION_IDS).toEqual(expect.arrayContaining(PRIVILEGED));
  });

  it('normalises team refs (kind group and namespace default by default, lower case)', () => {
    const settings = readAwsGatewayPermissionSettings(
      new ConfigReader({
        awsGateway: {
          permissions: { platformTeams: ['platform', 'Group:Ops/SRE'] },
        },
      }),
    );
    expect(settings.platformTeams).toEqual([
      'group:default/platform',
      'group:ops/sre',
    ]);
  });

  it('fails on a malformed team ref or a pattern that matches no action', () => {
    expect(() =>
      readAwsGatewayPermissionSettings(
        new ConfigReader({
          awsGateway: { permissions: { platformTeams: ['group:'] } },
        }),
      ),
    ).toThrow(/platformTeams\[0\]: "group:" is not an entity ref/);
    expect(() =>
      readAwsGatewayPermissionSettings(
        new ConfigReader({
          awsGateway: {
            permissions: { privilegedActions: ['aws-gateway:ecr:*'] },
          },
        }),
      ),
    ).toThrow(/"aws-gateway:ecr:\*" matches none of the known action ids/);
  });
});
