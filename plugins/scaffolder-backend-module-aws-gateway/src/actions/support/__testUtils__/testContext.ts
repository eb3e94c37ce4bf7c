/**
 * Guardrail configuration and action contexts shared by the action tests.
 */
import { ConfigReader } from '@backstage/config';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { AwsGuardrails } from '../../../guardrails/awsGuardrails';
import { InitiatorOwnership } from '../initiatorOwnership';
import { FAKE_ACCOUNT, FAKE_CLUSTER, FAKE_REGION } from './fakeAws';

export function testProvisioningConfig(overrides: Record<string, any> = {}) {
  const { iam, podIdentity, ...rest } = overrides;
  return {
    allowedAccountIds: [FAKE_ACCOUNT],
    allowedRegions: [FAKE_REGION],
    allowedClusters: [FAKE_CLUSTER],
    ...rest,
    iam: {
      path: '/backstage/',
      roleNamePrefix: 'backstage-',
      policyNamePrefix: 'backstage-',
      tags: { team: 'platform' },
      ...iam,
    },
    podIdentity: { ...podIdentity },
  };
}

export function testGuardrails(
  overrides: Record<string, any> = {},
): AwsGuardrails {
  return AwsGuardrails.fromConfig(
    new ConfigReader({
      awsGateway: { provisioning: testProvisioningConfig(overrides) },
    }),
  );
}

/** A mock context with a checkpoint store, so recovery can be exercised. */
export function testActionContext(
  input: Record<string, any>,
  options: {
    workspacePath?: string;
    isDryRun?: boolean;
    store?: Map<string, any>;
  } = {},
): ActionContext<any, any> & { checkpoint: jest.Mock } {
  const store = options.store ?? new Map<string, any>();
  const ctx = createMockActionContext({
    input,
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
  });
  return Object.assign(ctx, {
    isDryRun: options.isDryRun,
    checkpoint: jest.fn(async ({ key, fn }: { key: string; fn: () => any }) => {
      if (store.has(key)) return store.get(key);
      const value = await fn();
      store.set(key, JSON.parse(JSON.stringify(value ?? null)));
      return value;
    }),
  });
}

/** The ownership rule as the development profile has it: not enforced, never reading the user or the catalog. */
export function ownershipNotEnforced(): InitiatorOwnership {
  const unused = async (): Promise<never> => {
    throw new Error('the ownership rule is off: nothing may be read');
  };
  return new InitiatorOwnership({
    userInfo: { getUserInfo: unused },
    catalog: { getEntityByRef: unused },
    namespaceGrants: [],
  });
}
