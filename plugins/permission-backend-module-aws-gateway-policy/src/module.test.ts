import { JsonObject } from '@backstage/types';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { actionExecutePermission } from '@backstage/plugin-scaffolder-common/alpha';
import { permissionModuleAwsGatewayPolicy } from './module';

/**
 * The module against a stand-in permission plugin that records the policy it
 * is given (the real permission backend refuses conditional queries from a
 * bare user token; the integration test drives it through the scaffolder).
 */
async function installedPolicy(permissions?: JsonObject) {
  let policy: PermissionPolicy | undefined;
  const logger = mockServices.logger.mock();
  logger.child.mockReturnValue(logger);
  await startTestBackend({
    features: [
      createBackendPlugin({
        pluginId: 'permission',
        register(env) {
          env.registerExtensionPoint(policyExtensionPoint, {
            setPolicy: p => (policy = p),
          });
          env.registerInit({ deps: {}, async init() {} });
        },
      }),
      permissionModuleAwsGatewayPolicy,
      mockServices.userInfo.factory(),
      mockServices.rootConfig.factory({
        data: permissions ? { awsGateway: { permissions } } : {},
      }),
      logger.factory,
    ],
  });
  if (!policy) throw new Error('the module set no policy');
  return { policy, logger };
}

const userQuery = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [ref] },
});

describe('permissionModuleAwsGatewayPolicy', () => {
  it('installs the configured policy: members allowed, others conditional', async () => {
    // The mock user info gives a user only their own ref as ownership.
    const { policy, logger } = await installedPolicy({
      platformTeams: ['user:default/alice', 'group:default/platform'],
    });
    const execute = { permission: actionExecutePermission };
    expect(
      await policy.handle(execute, userQuery('user:default/alice')),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(
      await policy.handle(execute, userQuery('user:default/bob')),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-action',
      conditions: {
        not: {
          anyOf: expect.arrayContaining([
            {
              resourceType: 'scaffolder-action',
              rule: 'HAS_ACTION_ID',
              params: { actionId: 'aws-gateway:iam:ensure-policy' },
            },
          ]),
        },
      },
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('allows everything and warns once when platformTeams is unset', async () => {
    const { policy, logger } = await installedPolicy();
    expect(
      await policy.handle(
        { permission: actionExecutePermission },
        userQuery('user:default/bob'),
      ),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /platformTeams is not set: every permission is allowed/,
      ),
    );
  });

  it('fails the backend on a privilegedActions pattern that matches nothing', async () => {
    await expect(
      installedPolicy({
        platformTeams: [],
        privilegedActions: ['aws-gateway:ecr:*'],
      }),
    ).rejects.toThrow(/matches none of the known action ids/);
  });
});
