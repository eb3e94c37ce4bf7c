import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import {
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import { podIdentityTrustPolicy } from '@gateway-portal/plugin-aws-gateway-node';
import { FAKE_ACCOUNT, FakeAws } from '../support/__testUtils__/fakeAws';
import {
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import { createPlanControllerSetupAction } from './planControllerSetup';
import { examples } from './planControllerSetup.examples';

const input = yaml.parse(examples[0].example).steps[0].input;
const ROLE_ARN = `arn:aws:iam::${FAKE_ACCOUNT}:role/backstage/${input.roleName}`;
const POLICY_ARN = `arn:aws:iam::${FAKE_ACCOUNT}:policy/backstage/${input.policyName}`;
const MANAGED = [{ Key: MANAGED_TAG_KEY, Value: MANAGED_TAG_VALUE }];
const DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }],
};

describe('aws-gateway:controller:plan', () => {
  let aws: FakeAws;
  let workspace: string;

  beforeEach(() => {
    aws = new FakeAws();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-controller-'));
    fs.mkdirSync(path.join(workspace, 'iam'));
    fs.writeFileSync(
      path.join(workspace, input.documentPath),
      JSON.stringify(DOCUMENT),
    );
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  async function plan(
    change: Record<string, unknown> = {},
    overrides: Record<string, any> = {},
  ) {
    const action = createPlanControllerSetupAction({
      awsClients: aws.clientFactory(),
      guardrails: testGuardrails(overrides),
    });
    const ctx = testActionContext(
      { ...input, ...change },
      { workspacePath: workspace },
    );
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    const log = info.mock.calls.map(c => String(c[0])).join('\n');
    return {
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
      log,
    };
  }

  it('runs the example: plans everything as new on an empty account, with reads only', async () => {
    const { outputs, log } = await plan();
    expect(outputs).toEqual({
      policyAction: 'create',
      roleOperations: ['CreateRole', 'AttachRolePolicy'],
      associationAction: 'create',
      changes: true,
    });
    expect(log).toContain(`- IAM policy: create ${POLICY_ARN}`);
    expect(log).toContain(
      `- Pod Identity association: create for kube-system/aws-load-balancer-controller in cluster demo → ${ROLE_ARN}`,
    );
    expect(aws.calls.length).toBeGreaterThan(0);
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('plans nothing when everything is in place', async () => {
    aws.seedPolicy(POLICY_ARN, DOCUMENT, MANAGED);
    aws.seedRole(
      input.roleName,
      '/backstage/',
      podIdentityTrustPolicy({
        accountId: FAKE_ACCOUNT,
        clusterName: 'demo',
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
      }),
      [...MANAGED, { Key: 'team', Value: 'platform' }],
    );
    aws.roles.get(input.roleName)!.attached.push(POLICY_ARN);
    aws.seedAssociation(
      'kube-system',
      'aws-load-balancer-controller',
      ROLE_ARN,
    );
    const { outputs } = await plan();
    expect(outputs).toEqual({
      policyAction: 'unchanged',
      roleOperations: [],
      associationAction: 'unchanged',
      changes: false,
    });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('plans the trust policy update of a managed role without the account and cluster conditions', async () => {
    aws.seedRole(input.roleName, '/backstage/', podIdentityTrustPolicy(), [
      ...MANAGED,
      { Key: 'team', Value: 'platform' },
    ]);
    const { outputs } = await plan();
    expect(outputs.roleOperations).toEqual([
      'UpdateAssumeRolePolicy',
      'AttachRolePolicy',
    ]);
  });

  const refusals: Array<[string, (aws: FakeAws) => void, RegExp]> = [
    [
      'an existing role this plugin does not manage',
      a => a.seedRole(input.roleName, '/backstage/', podIdentityTrustPolicy()),
      /^roleName: role .* was not created by this plugin .*allowAdoptingExistingRoles/,
    ],
    [
      'an existing association that uses another role',
      a =>
        a.seedAssociation(
          'kube-system',
          'aws-load-balancer-controller',
          `arn:aws:iam::${FAKE_ACCOUNT}:role/backstage/backstage-other`,
        ),
      /^roleArn: the Pod Identity association .* uses role .*backstage-other, not the requested .*allowReplacingAssociationRole/,
    ],
    [
      'an existing unmanaged policy with another document',
      a =>
        a.seedPolicy(POLICY_ARN, {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          ],
        }),
      /^name: policy .* was not created by this plugin .*allowUpdatingUnmanagedPolicies/,
    ],
    [
      'a role of that name under another path',
      a =>
        a.seedRole(
          input.roleName,
          '/other/',
          podIdentityTrustPolicy(),
          MANAGED,
        ),
      /^roleName: role .* exists under path \/other\//,
    ],
  ];

  it.each(refusals)(
    'refuses %s with zero writes',
    async (_name, seed, message) => {
      seed(aws);
      await expect(plan()).rejects.toThrow(message);
      expect(aws.mutatingCalls()).toEqual([]);
    },
  );

  it('refuses bad inputs and an admin-equivalent document before any AWS call', async () => {
    await expect(plan({ cluster: 'prod' })).rejects.toThrow(
      /^cluster: "prod" is not allowed/,
    );
    await expect(plan({ region: 'us-east-2' })).rejects.toThrow(
      /^region: "us-east-2" is not allowed/,
    );
    fs.writeFileSync(
      path.join(workspace, input.documentPath),
      JSON.stringify({
        ...DOCUMENT,
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      }),
    );
    await expect(plan()).rejects.toThrow(
      /^documentPath: the policy is admin-equivalent.*\[policy-allow-all-actions\]/s,
    );
    expect(aws.calls).toEqual([]);
  });
});
