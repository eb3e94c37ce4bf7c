/**
 * Contract: the AWS peer (moto behind the single endpoint) really validates
 * IAM policy documents, so a malformed policy fails here as it would in AWS.
 */
import fs from 'node:fs';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { awsClientConfig, referencePath, resetAws, uniqueName } from '../peers';

const POD_IDENTITY_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
};

describe('AWS IAM (moto)', () => {
  let iam: IAMClient;
  beforeAll(async () => {
    await resetAws();
    iam = new IAMClient(awsClientConfig());
  });
  afterAll(() => iam.destroy());

  it('rejects a malformed policy document (statement without Resource)', async () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'elasticloadbalancing:DescribeLoadBalancers',
        },
      ],
    };
    await expect(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: uniqueName('bad'),
          PolicyDocument: JSON.stringify(doc),
        }),
      ),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  it('rejects a policy document that is not JSON', async () => {
    await expect(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: uniqueName('bad'),
          PolicyDocument: '{"Version": "2012-10-17",',
        }),
      ),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  it('validates trust policies on UpdateAssumeRolePolicy: refuses Resource and non-sts actions', async () => {
    const roleName = uniqueName('trust');
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(POD_IDENTITY_TRUST),
      }),
    );
    const withResource = {
      ...POD_IDENTITY_TRUST,
      Statement: [{ ...POD_IDENTITY_TRUST.Statement[0], Resource: '*' }],
    };
    await expect(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: roleName,
          PolicyDocument: JSON.stringify(withResource),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Has prohibited field Resource.',
    });
    const wrongAction = {
      ...POD_IDENTITY_TRUST,
      Statement: [
        { ...POD_IDENTITY_TRUST.Statement[0], Action: 's3:GetObject' },
      ],
    };
    await expect(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: roleName,
          PolicyDocument: JSON.stringify(wrongAction),
        }),
      ),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    // the Pod Identity trust policy itself passes the same validator
    await expect(
      iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: roleName,
          PolicyDocument: JSON.stringify(POD_IDENTITY_TRUST),
        }),
      ),
    ).resolves.toBeTruthy();
  });

  it('KNOWN GAP (moto 5.2.1): CreateRole does not validate the trust policy at all', async () => {
    // Real IAM answers MalformedPolicyDocument here. If this test starts failing,
    // moto closed the gap: turn it into a rejection test.
    await expect(
      iam.send(
        new CreateRoleCommand({
          RoleName: uniqueName('gap'),
          AssumeRolePolicyDocument: '{"Version": ',
        }),
      ),
    ).resolves.toBeTruthy();
  });

  it('accepts the Pod Identity trust policy (pods.eks.amazonaws.com, sts:AssumeRole + sts:TagSession) and the LBC policy', async () => {
    const roleName = uniqueName('lbc');
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(POD_IDENTITY_TRUST),
      }),
    );
    expect(role.Role?.Arn).toBe(`arn:aws:iam::123456789012:role/${roleName}`);
    const got = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    const trust = JSON.parse(
      decodeURIComponent(got.Role!.AssumeRolePolicyDocument!),
    );
    expect(trust.Statement[0].Action).toEqual([
      'sts:AssumeRole',
      'sts:TagSession',
    ]);

    const lbcPolicy = fs.readFileSync(
      referencePath('lbc-v3.5.0-iam_policy.json'),
      'utf8',
    );
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: uniqueName('lbc'),
        PolicyDocument: lbcPolicy,
      }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: roleName,
        PolicyArn: policy.Policy!.Arn!,
      }),
    );
    const attached = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: roleName }),
    );
    expect(attached.AttachedPolicies?.map(p => p.PolicyArn)).toEqual([
      policy.Policy!.Arn,
    ]);
  });
});
