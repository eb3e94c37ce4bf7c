import fs from 'node:fs';
import path from 'node:path';
import { referenceDir } from '../testUtils';
import { PolicyDocument } from './policyDocuments';
import { adminEquivalentStatements } from './policyLint';

const allow = (statement: object): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', ...statement } as any],
});

const rules = (doc: PolicyDocument) =>
  adminEquivalentStatements(doc).map(f => `${f.statement} ${f.rule}`);

describe('adminEquivalentStatements', () => {
  it.each([
    [{ Action: '*', Resource: '*' }, 'policy-allow-all-actions'],
    [{ Action: '*:*', Resource: 'arn:aws:s3:::b' }, 'policy-allow-all-actions'],
    [
      { Action: ['ec2:DescribeVpcs', '*:Get*'], Resource: '*' },
      'policy-allow-all-actions',
    ],
    [{ NotAction: 's3:GetObject', Resource: '*' }, 'policy-allow-not-action'],
    [
      { Action: 'iam:*', Resource: 'arn:aws:iam::111122223333:role/x' },
      'policy-iam-wildcard',
    ],
    [{ Action: 'IAM:*', Resource: '*' }, 'policy-iam-wildcard'],
    [
      { Action: 'ec2:*', Resource: '*' },
      'policy-service-wildcard-all-resources',
    ],
    [
      { Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:vpc/vpc-1' },
      'policy-service-wildcard-all-resources',
    ],
    [{ Action: 'iam:PassRole', Resource: '*' }, 'policy-privilege-escalation'],
    [{ Action: 'iam:Pass*', Resource: '*' }, 'policy-privilege-escalation'],
    [
      { Action: 'iam:attachrolepolicy', Resource: '*' },
      'policy-privilege-escalation',
    ],
    [
      { Action: 'sts:AssumeRole', Resource: '*' },
      'policy-privilege-escalation',
    ],
  ])('refuses %j', (statement, rule) => {
    expect(rules(allow(statement))).toEqual([`Statement[0] ${rule}`]);
  });

  it.each([
    [
      {
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::111122223333:role/backstage/app',
      },
    ],
    [{ Action: 'ec2:Describe*', Resource: '*' }],
    [
      {
        Action: 'elasticloadbalancing:*',
        Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
      },
    ],
    [{ Action: 'iam:CreateServiceLinkedRole', Resource: '*' }],
  ])('accepts %j', statement => {
    expect(rules(allow(statement))).toEqual([]);
  });

  it('ignores Deny statements', () => {
    expect(
      rules({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
      }),
    ).toEqual([]);
  });

  it('accepts the controller policies of every version in the reference set', () => {
    const reference = referenceDir();
    const files = fs
      .readdirSync(reference)
      .filter(f => f.endsWith('iam_policy.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      expect(
        rules(JSON.parse(fs.readFileSync(path.join(reference, file), 'utf8'))),
      ).toEqual([]);
    }
  });
});
