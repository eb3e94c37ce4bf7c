import fs from 'node:fs';
import path from 'node:path';
import { referenceDir } from '../testUtils';
import { podIdentityTrustPolicy } from './podIdentityTrust';
import { canonicalPolicyJson, policyDocumentsEqual } from './policyComparison';
import {
  decodeIamPolicyDocument,
  parsePolicyDocument,
  policyDocumentProblems,
} from './policyDocuments';

const REFERENCE = referenceDir();

describe('policyDocuments', () => {
  const base = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'A',
        Effect: 'Allow',
        Action: ['ec2:DescribeVpcs', 'ec2:DescribeSubnets'],
        Resource: '*',
      },
      {
        Sid: 'B',
        Effect: 'Allow',
        Action: 'elasticloadbalancing:AddTags',
        Resource: ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'],
        Condition: {
          StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': ['b', 'a'] },
        },
      },
    ],
  };

  it('treats statement order, list order, single values, action case and duplicates as equal', () => {
    const reordered = {
      Statement: [
        {
          Condition: {
            StringEquals: {
              'aws:RequestTag/elbv2.k8s.aws/cluster': ['a', 'b', 'a'],
            },
          },
          Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*',
          Action: ['ELASTICLOADBALANCING:addtags'],
          Effect: 'Allow',
          Sid: 'B',
        },
        {
          Sid: 'A',
          Effect: 'Allow',
          Action: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
          Resource: ['*'],
        },
      ],
      Version: '2012-10-17',
    };
    expect(policyDocumentsEqual(base, reordered)).toBe(true);
  });

  it.each([
    ['an action', (d: any) => d.Statement[0].Action.push('ec2:DescribeTags')],
    ['the effect', (d: any) => (d.Statement[0].Effect = 'Deny')],
    [
      'a resource (case-sensitive)',
      (d: any) =>
        (d.Statement[1].Resource = [
          'ARN:aws:elasticloadbalancing:*:*:targetgroup/*/*',
        ]),
    ],
    [
      'a condition value',
      (d: any) =>
        (d.Statement[1].Condition.StringEquals[
          'aws:RequestTag/elbv2.k8s.aws/cluster'
        ] = 'a'),
    ],
    ['a statement removed', (d: any) => d.Statement.pop()],
    ['the version', (d: any) => (d.Version = '2008-10-17')],
  ])('sees a change of %s', (_name, change) => {
    const changed = JSON.parse(JSON.stringify(base));
    change(changed);
    expect(policyDocumentsEqual(base, changed)).toBe(false);
  });

  it('defaults a missing Version to 2008-10-17', () => {
    const { Version: _v, ...noVersion } = base;
    expect(
      policyDocumentsEqual(noVersion, { ...base, Version: '2008-10-17' }),
    ).toBe(true);
  });

  it('decodes documents as IAM returns them (URL-encoded) and raw ones', () => {
    const text = JSON.stringify(podIdentityTrustPolicy(), null, 4);
    expect(
      policyDocumentsEqual(
        decodeIamPolicyDocument(encodeURIComponent(text)),
        podIdentityTrustPolicy(),
      ),
    ).toBe(true);
    expect(decodeIamPolicyDocument(text)).toEqual(podIdentityTrustPolicy());
  });

  it('accepts the controller policy and is stable on it', () => {
    const text = fs.readFileSync(
      path.join(REFERENCE, 'lbc-v3.5.0-iam_policy.json'),
      'utf8',
    );
    const doc = parsePolicyDocument(text, 'identity');
    expect(canonicalPolicyJson(doc)).toBe(
      canonicalPolicyJson(JSON.parse(canonicalPolicyJson(doc))),
    );
    const reversed = {
      ...doc,
      Statement: [...(doc.Statement as any[])].reverse(),
    };
    expect(policyDocumentsEqual(doc, reversed)).toBe(true);
  });

  it('checks identity and trust policies for their own shape', () => {
    expect(policyDocumentProblems(podIdentityTrustPolicy(), 'trust')).toEqual(
      [],
    );
    expect(
      policyDocumentProblems(podIdentityTrustPolicy(), 'identity'),
    ).toEqual([
      'Statement[0] needs Resource or NotResource',
      'Statement[0] must not have a Principal in an identity policy',
    ]);
    expect(policyDocumentProblems({ Statement: [] }, 'identity')).toEqual([
      'Statement must not be empty',
    ]);
    expect(policyDocumentProblems([], 'identity')).toEqual([
      'the document must be a JSON object',
    ]);
    expect(
      policyDocumentProblems(
        {
          Version: '2020-01-01',
          Extra: 1,
          Statement: {
            Effect: 'allow',
            Action: [],
            Resource: '*',
            NotResource: 'x',
          },
        },
        'identity',
      ),
    ).toEqual([
      'unknown top-level key "Extra"',
      'Version must be one of 2012-10-17, 2008-10-17',
      'Statement.Effect must be "Allow" or "Deny"',
      'Statement.Action must be a string or a non-empty list of strings',
      'Statement must not have both Resource and NotResource',
    ]);
    expect(() => parsePolicyDocument('{', 'identity')).toThrow(
      /^the document is not valid JSON/,
    );
  });
});
