import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { MalformedPolicyDocumentException } from '@aws-sdk/client-iam';
import yaml from 'yaml';
import {
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import { FAKE_ACCOUNT, FakeAws } from '../support/__testUtils__/fakeAws';
import {
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import { createEnsurePolicyAction } from './ensurePolicy';
import { examples } from './ensurePolicy.examples';

const ARN = `arn:aws:iam::${FAKE_ACCOUNT}:policy/backstage/backstage-lbc`;

const doc = (actions: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
});

describe('aws-gateway:iam:ensure-policy', () => {
  let aws: FakeAws;
  let workspace: string;

  beforeEach(() => {
    aws = new FakeAws();
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-policy-'));
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  function action(overrides: Record<string, any> = {}) {
    return createEnsurePolicyAction({
      awsClients: aws.clientFactory(),
      guardrails: testGuardrails(overrides),
    });
  }

  async function run(
    input: Record<string, any>,
    overrides?: Record<string, any>,
  ) {
    const ctx = testActionContext(
      { accountId: FAKE_ACCOUNT, name: 'backstage-lbc', ...input },
      { workspacePath: workspace },
    );
    await action(overrides).handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    return { ctx, outputs };
  }

  it('creates an absent policy, tagged managed-by, with the configured tags', async () => {
    const { outputs } = await run({
      document: doc(['ec2:DescribeVpcs']),
      tags: { app: 'shop' },
    });
    expect(outputs).toEqual({ policyArn: ARN, changed: true, versionId: 'v1' });
    expect(aws.mutatingCalls()).toEqual(['CreatePolicy']);
    const created = aws.calls.find(c => c.command === 'CreatePolicy')!.input;
    expect(created.Path).toBe('/backstage/');
    expect(created.Tags).toEqual(
      expect.arrayContaining([
        { Key: MANAGED_TAG_KEY, Value: MANAGED_TAG_VALUE },
        { Key: 'team', Value: 'platform' },
        { Key: 'app', Value: 'shop' },
      ]),
    );
  });

  it('writes nothing when the default version is semantically the same', async () => {
    await run({ document: doc(['ec2:DescribeVpcs', 'ec2:DescribeSubnets']) });
    aws.calls.length = 0;
    // Another order, another case, a single statement object, JSON text.
    const same = JSON.stringify({
      Statement: {
        Resource: ['*'],
        Action: ['EC2:describesubnets', 'ec2:DescribeVpcs'],
        Effect: 'Allow',
      },
      Version: '2012-10-17',
    });
    const { outputs } = await run({ document: same });
    expect(outputs).toEqual({
      policyArn: ARN,
      changed: false,
      versionId: 'v1',
    });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('creates a new default version for a changed document', async () => {
    await run({ document: doc(['ec2:DescribeVpcs']) });
    const { outputs } = await run({
      document: doc(['ec2:DescribeVpcs', 'ec2:DescribeSubnets']),
    });
    expect(outputs).toEqual({ policyArn: ARN, changed: true, versionId: 'v2' });
    expect(aws.mutatingCalls()).toEqual([
      'CreatePolicy',
      'CreatePolicyVersion',
    ]);
    expect(aws.policies.get(ARN)!.DefaultVersionId).toBe('v2');
  });

  it('deletes the oldest non-default version when at the limit of five', async () => {
    for (let i = 1; i <= 7; i++) {
      await run({ document: doc([`ec2:Action${i}`]) });
    }
    const policy = aws.policies.get(ARN)!;
    expect(policy.versions.map(v => v.VersionId)).toEqual([
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
    ]);
    expect(policy.DefaultVersionId).toBe('v7');
    const deleted = aws.calls
      .filter(c => c.command === 'DeletePolicyVersion')
      .map(c => c.input.VersionId);
    expect(deleted).toEqual(['v1', 'v2']);
  });

  it('keeps the default version when pruning even if it is the oldest', async () => {
    aws.seedPolicy(ARN, doc(['ec2:A']), [
      { Key: MANAGED_TAG_KEY, Value: MANAGED_TAG_VALUE },
    ]);
    const policy = aws.policies.get(ARN)!;
    for (const n of [2, 3, 4, 5]) {
      policy.versions.push({
        VersionId: `v${n}`,
        Document: encodeURIComponent('{}'),
        CreateDate: new Date(Date.UTC(2027, 0, n)),
      });
    }
    policy.nextVersion = 6;
    await run({ document: doc(['ec2:B']) });
    expect(
      aws.calls.find(c => c.command === 'DeletePolicyVersion')!.input.VersionId,
    ).toBe('v2');
    expect(policy.versions.map(v => v.VersionId)).toEqual([
      'v1',
      'v3',
      'v4',
      'v5',
      'v6',
    ]);
  });

  it('refuses to update a policy it did not create', async () => {
    aws.seedPolicy(ARN, doc(['ec2:A']));
    await expect(run({ document: doc(['ec2:B']) })).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^name: .*not created by this plugin.*allowUpdatingUnmanagedPolicies/,
      ),
    });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('leaves an unmanaged policy with the same document alone', async () => {
    aws.seedPolicy(ARN, doc(['ec2:A']));
    const { outputs } = await run({ document: doc(['ec2:A']) });
    expect(outputs.changed).toBe(false);
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('updates an unmanaged policy when configuration allows, unless the input opts out', async () => {
    aws.seedPolicy(ARN, doc(['ec2:A']));
    const allow = { iam: { allowUpdatingUnmanagedPolicies: true } };
    await expect(
      run({ document: doc(['ec2:B']), allowUpdatingUnmanaged: false }, allow),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    const { outputs } = await run({ document: doc(['ec2:B']) }, allow);
    expect(outputs).toMatchObject({ changed: true, versionId: 'v2' });
  });

  it('reads the document from a workspace file', async () => {
    fs.writeFileSync(
      path.join(workspace, 'policy.json'),
      JSON.stringify(doc(['ec2:A']), null, 2),
    );
    const { outputs } = await run({ documentPath: 'policy.json' });
    expect(outputs.changed).toBe(true);
    expect(JSON.parse(aws.calls[1].input.PolicyDocument)).toEqual(
      doc(['ec2:A']),
    );
  });

  it('surfaces IAM MalformedPolicyDocument as an input error on document', async () => {
    aws.failNext(
      'CreatePolicy',
      new MalformedPolicyDocumentException({
        message: 'Policy statement must contain resources.',
        $metadata: {},
      }),
    );
    await expect(run({ document: doc(['ec2:A']) })).rejects.toMatchObject({
      name: 'InputError',
      message:
        'document: IAM rejected the policy document (MalformedPolicyDocument): Policy statement must contain resources.',
    });
  });

  it('makes no AWS call in a dry run', async () => {
    const ctx = testActionContext(
      {
        accountId: FAKE_ACCOUNT,
        name: 'backstage-lbc',
        document: doc(['ec2:A']),
      },
      { workspacePath: workspace, isDryRun: true },
    );
    await action().handler(ctx);
    expect(aws.calls).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('policyArn', ARN);
  });

  it('does not repeat the effect when a recovered task replays the step', async () => {
    const store = new Map();
    const input = {
      accountId: FAKE_ACCOUNT,
      name: 'backstage-lbc',
      document: doc(['ec2:A']),
    };
    await action().handler(
      testActionContext(input, { workspacePath: workspace, store }),
    );
    const callsAfterFirst = aws.calls.length;
    const replay = testActionContext(input, {
      workspacePath: workspace,
      store,
    });
    await action().handler(replay);
    expect(aws.calls.length).toBe(callsAfterFirst);
    expect(replay.output).toHaveBeenCalledWith('versionId', 'v1');
  });

  describe('refuses bad input before any AWS call', () => {
    const cases: Array<
      [string, Record<string, any>, RegExp, Record<string, any>?]
    > = [
      [
        'malformed account id',
        { accountId: '12345' },
        /^accountId: "12345" must be a 12-digit AWS account id/,
      ],
      [
        'account not allowed',
        { accountId: '999999999999' },
        /^accountId: "999999999999" is not allowed; .*allowedAccountIds/,
      ],
      [
        'region not allowed',
        { region: 'us-east-2' },
        /^region: "us-east-2" is not allowed; .*allowedRegions/,
      ],
      [
        'name without the prefix',
        { name: 'admin' },
        /^name: "admin" must start with "backstage-" .*policyNamePrefix/,
      ],
      [
        'name with bad characters',
        { name: 'backstage-a b' },
        /^name: "backstage-a b" must be 1-128 characters/,
      ],
      [
        'path outside the configured one',
        { path: '/other/' },
        /^path: "\/other\/" must be at or under "\/backstage\/"/,
      ],
      [
        'input exceeding configuration',
        { allowUpdatingUnmanaged: true },
        /^allowUpdatingUnmanaged: true is not allowed; it cannot exceed .*allowUpdatingUnmanagedPolicies/,
      ],
      [
        'reserved tag',
        { tags: { [MANAGED_TAG_KEY]: 'me' } },
        /^tags.aws-gateway.io\/managed-by: "me" is reserved/,
      ],
      [
        'not a policy document',
        { document: { Statement: [{ Effect: 'Allow', Action: 's3:*' }] } },
        /^document: the document is not a valid identity policy: Statement\[0\] needs Resource or NotResource/,
      ],
      [
        'document and documentPath',
        { documentPath: 'x.json' },
        /^document: give exactly one of document and documentPath/,
      ],
      [
        'path escaping the workspace',
        { document: undefined, documentPath: '../etc/passwd' },
        /^documentPath: "..\/etc\/passwd" must stay inside the workspace/,
      ],
      [
        'an admin-equivalent document (Action "*")',
        { document: doc(['*']) },
        /^document: the policy is admin-equivalent, which configuration does not allow .*allowAdminEquivalentPolicies.*\n- Statement\[0\]: Action "\*" allows actions of every AWS service \[policy-allow-all-actions\]/,
      ],
      [
        'iam:PassRole on every resource',
        { document: doc(['ec2:DescribeVpcs', 'iam:PassRole']) },
        /\[policy-privilege-escalation\]/,
      ],
      [
        'Allow with NotAction',
        {
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
          },
        },
        /\[policy-allow-not-action\]/,
      ],
    ];
    it.each(cases)('%s', async (...[, input, message, overrides]) => {
      await expect(
        run({ document: doc(['ec2:A']), ...input }, overrides),
      ).rejects.toThrow(message);
      expect(aws.calls).toEqual([]);
    });
  });

  it('accepts an admin-equivalent document when configuration allows it', async () => {
    const { outputs } = await run(
      { document: doc(['iam:*']) },
      { iam: { allowAdminEquivalentPolicies: true } },
    );
    expect(outputs.changed).toBe(true);
  });

  it('runs every example', async () => {
    fs.writeFileSync(
      path.join(workspace, 'iam_policy.json'),
      JSON.stringify(doc(['ec2:A'])),
    );
    for (const example of examples) {
      const step = yaml.parse(example.example).steps[0];
      const ctx = testActionContext(step.input, { workspacePath: workspace });
      await action().handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('changed', true);
    }
    expect(aws.policies.size).toBe(examples.length);
  });
});
