import yaml from 'yaml';
import {
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  decodeIamPolicyDocument,
  podIdentityTrustPolicy,
  policyDocumentsEqual,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  FAKE_ACCOUNT,
  FAKE_CLUSTER,
  FakeAws,
} from '../support/__testUtils__/fakeAws';
import { ConfigReader } from '@backstage/config';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import {
  testActionContext,
  testGuardrails,
  testProvisioningConfig,
} from '../support/__testUtils__/testContext';
import { createEnsurePodIdentityRoleAction } from './ensurePodIdentityRole';
import { examples } from './ensurePodIdentityRole.examples';

const POLICY = `arn:aws:iam::${FAKE_ACCOUNT}:policy/backstage/backstage-lbc`;
const ROLE = 'backstage-lbc';
const ROLE_ARN = `arn:aws:iam::${FAKE_ACCOUNT}:role/backstage/${ROLE}`;
const BOUNDARY = `arn:aws:iam::${FAKE_ACCOUNT}:policy/boundaries/backstage-boundary`;
const READ_ONLY = 'arn:aws:iam::aws:policy/ElasticLoadBalancingReadOnly';
const MANAGED = [{ Key: MANAGED_TAG_KEY, Value: MANAGED_TAG_VALUE }];
const SCOPE = {
  accountId: FAKE_ACCOUNT,
  clusterName: FAKE_CLUSTER,
  namespace: 'kube-system',
  serviceAccount: 'aws-load-balancer-controller',
};

describe('aws-gateway:iam:ensure-pod-identity-role', () => {
  let aws: FakeAws;

  const defaults = {
    iam: {
      permissionsBoundaryArn: BOUNDARY,
      allowedPolicyArns: ['arn:aws:iam::aws:policy/ElasticLoadBalancing*'],
    },
  };

  beforeEach(() => {
    aws = new FakeAws();
    aws.seedPolicy(
      POLICY,
      { Statement: [{ Effect: 'Allow', Action: 'ec2:A', Resource: '*' }] },
      MANAGED,
    );
  });

  async function run(
    input: Record<string, any>,
    overrides: Record<string, any> = defaults,
  ) {
    const action = createEnsurePodIdentityRoleAction({
      awsClients: aws.clientFactory(),
      guardrails: testGuardrails(overrides),
    });
    const ctx = testActionContext({
      accountId: FAKE_ACCOUNT,
      roleName: ROLE,
      cluster: FAKE_CLUSTER,
      ...input,
    });
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('creates the role with the Pod Identity trust policy, boundary, tags and policies', async () => {
    const outputs = await run({ policyArns: [POLICY, READ_ONLY] });
    expect(outputs).toEqual({
      roleArn: ROLE_ARN,
      roleName: ROLE,
      changed: true,
    });
    expect(aws.mutatingCalls()).toEqual([
      'CreateRole',
      'AttachRolePolicy',
      'AttachRolePolicy',
    ]);
    const role = aws.roles.get(ROLE)!;
    expect(role.Path).toBe('/backstage/');
    expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(BOUNDARY);
    expect(role.Tags).toEqual(
      expect.arrayContaining([...MANAGED, { Key: 'team', Value: 'platform' }]),
    );
    expect(role.attached).toEqual([POLICY, READ_ONLY]);
    const trust = decodeIamPolicyDocument(role.AssumeRolePolicyDocument) as any;
    expect(trust.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      // Only Pod Identity sessions of this account, cluster, namespace and service account.
      Condition: {
        StringEquals: {
          'aws:SourceAccount': FAKE_ACCOUNT,
          'aws:RequestTag/eks-cluster-name': FAKE_CLUSTER,
          'aws:RequestTag/kubernetes-namespace': 'kube-system',
          'aws:RequestTag/kubernetes-service-account':
            'aws-load-balancer-controller',
        },
      },
    });
  });

  it('adds the account and cluster conditions to a managed role whose trust policy lacks them, once', async () => {
    aws.seedRole(ROLE, '/backstage/', podIdentityTrustPolicy(), [
      ...MANAGED,
      { Key: 'team', Value: 'platform' },
    ]);
    aws.roles.get(ROLE)!.PermissionsBoundary = {
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: BOUNDARY,
    };
    await run({});
    expect(aws.mutatingCalls()).toEqual(['UpdateAssumeRolePolicy']);
    expect(
      policyDocumentsEqual(
        decodeIamPolicyDocument(aws.roles.get(ROLE)!.AssumeRolePolicyDocument),
        podIdentityTrustPolicy(SCOPE),
      ),
    ).toBe(true);
    aws.calls.length = 0;
    await run({});
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('refuses to create a role without a permissions boundary while permissions are enabled', async () => {
    const action = createEnsurePodIdentityRoleAction({
      awsClients: aws.clientFactory(),
      guardrails: AwsGuardrails.fromConfig(
        new ConfigReader({
          permission: { enabled: true },
          awsGateway: { provisioning: testProvisioningConfig() },
        }),
      ),
    });
    const ctx = testActionContext({
      accountId: FAKE_ACCOUNT,
      roleName: ROLE,
      cluster: FAKE_CLUSTER,
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^roleName: .*permission\.enabled.*permissionsBoundaryArn \[permissions-boundary-required\]/,
      ),
    });
    expect(aws.calls).toEqual([]);
  });

  it('stops before the next write when the step is cancelled', async () => {
    const controller = new AbortController();
    const action = createEnsurePodIdentityRoleAction({
      awsClients: aws.clientFactory(),
      guardrails: testGuardrails(defaults),
    });
    const ctx = Object.assign(
      testActionContext({
        accountId: FAKE_ACCOUNT,
        roleName: ROLE,
        cluster: FAKE_CLUSTER,
        policyArns: [POLICY, READ_ONLY],
      }),
      { signal: controller.signal },
    );
    aws.beforeCall = name => {
      if (name === 'CreateRole') controller.abort();
    };
    await expect(action.handler(ctx)).rejects.toThrow();
    expect(aws.mutatingCalls()).toEqual(['CreateRole']);
  });

  it('writes nothing on a second run', async () => {
    await run({ policyArns: [POLICY] });
    aws.calls.length = 0;
    const outputs = await run({ policyArns: [POLICY] });
    expect(outputs.changed).toBe(false);
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('repairs a drifted trust policy, boundary and tags of a managed role and attaches missing policies', async () => {
    aws.seedRole(
      ROLE,
      '/backstage/',
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      MANAGED,
    );
    const outputs = await run({ policyArns: [POLICY] });
    expect(outputs.changed).toBe(true);
    expect(aws.mutatingCalls()).toEqual([
      'UpdateAssumeRolePolicy',
      'PutRolePermissionsBoundary',
      'TagRole',
      'AttachRolePolicy',
    ]);
    const role = aws.roles.get(ROLE)!;
    expect(
      policyDocumentsEqual(
        decodeIamPolicyDocument(role.AssumeRolePolicyDocument),
        podIdentityTrustPolicy(SCOPE),
      ),
    ).toBe(true);
  });

  it('refuses to modify a role it did not create', async () => {
    aws.seedRole(ROLE, '/backstage/', podIdentityTrustPolicy());
    await expect(run({ policyArns: [POLICY] })).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^roleName: role .* not created by this plugin.*allowAdoptingExistingRoles/,
      ),
    });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('adopts an unmanaged role when configuration allows, without claiming it', async () => {
    aws.seedRole(ROLE, '/backstage/', podIdentityTrustPolicy());
    await run(
      { policyArns: [POLICY] },
      { iam: { ...defaults.iam, allowAdoptingExistingRoles: true } },
    );
    const role = aws.roles.get(ROLE)!;
    expect(role.attached).toEqual([POLICY]);
    expect(role.Tags).not.toEqual(expect.arrayContaining(MANAGED));
  });

  it('leaves a same-named role under another path alone', async () => {
    aws.seedRole(ROLE, '/other/', podIdentityTrustPolicy(), MANAGED);
    await expect(run({})).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/^roleName: .*path \/other\//),
    });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('makes no AWS call in a dry run', async () => {
    const action = createEnsurePodIdentityRoleAction({
      awsClients: aws.clientFactory(),
      guardrails: testGuardrails(defaults),
    });
    const ctx = testActionContext(
      {
        accountId: FAKE_ACCOUNT,
        roleName: ROLE,
        cluster: FAKE_CLUSTER,
        policyArns: [POLICY],
      },
      { isDryRun: true },
    );
    await action.handler(ctx);
    expect(aws.calls).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('roleArn', ROLE_ARN);
  });

  describe('refuses bad input before any AWS call', () => {
    const cases: Array<[string, Record<string, any>, RegExp]> = [
      [
        'role name without the prefix',
        { roleName: 'AdminRole' },
        /^roleName: "AdminRole" must start with "backstage-" .*roleNamePrefix/,
      ],
      [
        'role name too long',
        { roleName: `backstage-${'x'.repeat(60)}` },
        /^roleName: ".*" must be 1-64 characters/,
      ],
      [
        'policy of another account',
        {
          policyArns: [
            'arn:aws:iam::999999999999:policy/backstage/backstage-x',
          ],
        },
        /^policyArns\[0\]: ".*" is not allowed; .*allowedPolicyArns.*allowedAccountIds/,
      ],
      [
        'AWS managed policy not listed',
        { policyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        /^policyArns\[0\]: ".*AdministratorAccess" is not allowed/,
      ],
      [
        'policy outside the configured path',
        { policyArns: [`arn:aws:iam::${FAKE_ACCOUNT}:policy/backstage-x`] },
        /^policyArns\[0\]: .* under path "\/backstage\/"/,
      ],
      [
        'not a policy ARN',
        {
          policyArns: [
            `arn:aws:iam::${FAKE_ACCOUNT}:role/backstage/backstage-x`,
          ],
        },
        /^policyArns\[0\]: ".*" must be an IAM policy ARN/,
      ],
      [
        'adopting beyond configuration',
        { allowAdoptingExisting: true },
        /^allowAdoptingExisting: true is not allowed; it cannot exceed .*allowAdoptingExistingRoles/,
      ],
      [
        'cluster outside the guardrail',
        { cluster: 'prod' },
        /^cluster: "prod" is not allowed; it must be listed in awsGateway\.provisioning\.allowedClusters/,
      ],
      [
        'service account outside the guardrail',
        { serviceAccount: 'default' },
        /^serviceAccount: "kube-system\/default" is not allowed/,
      ],
      [
        'invalid tag',
        { tags: { 'aws:owner': 'me' } },
        /^tags.aws:owner: "me" is not a valid IAM tag/,
      ],
    ];
    it.each(cases)('%s', async (...[, input, message]) => {
      await expect(run(input)).rejects.toThrow(message);
      expect(aws.calls).toEqual([]);
    });
  });

  it('runs every example', async () => {
    for (const example of examples) {
      const input = yaml.parse(example.example).steps[0].input;
      input.policyArns = input.policyArns.map((a: string) =>
        a.includes('${{') ? POLICY : a,
      );
      const outputs = await run(input);
      expect(outputs.changed).toBe(true);
      expect(aws.roles.get(input.roleName)!.attached).toEqual(input.policyArns);
    }
  });
});
