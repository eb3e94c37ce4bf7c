import {
  redactAddresses,
  redactAwsIdentities,
  redactSecrets,
} from './redaction';

describe('redaction', () => {
  it('never lets credentials through', () => {
    const msg = redactSecrets(
      'failed: Authorization: Bearer eyJhbGciOi.abc token=k8s-aws-v1.aHR0cHM6Ly9zdHM X-Amz-Signature=deadbeef&X-Amz-Security-Token=FQoG key AKIAIOSFODNN7EXAMPLE',
    );
    expect(msg).not.toMatch(
      /eyJhbGciOi|aHR0cHM6Ly9zdHM|deadbeef|FQoG|AKIAIOSFODNN7EXAMPLE/,
    );
  });

  it('takes URLs and internal addresses out', () => {
    const msg = redactAddresses(
      'connect ECONNREFUSED 10.0.3.7:5432 (redis://cache.internal:6379, [fd00::1]:443, db.internal:5432)',
    );
    expect(msg).not.toMatch(/10\.0\.3\.7|cache\.internal|fd00|db\.internal/);
    expect(msg).toContain('ECONNREFUSED');
  });
});

describe('redactAwsIdentities', () => {
  const PRINCIPALS =
    /assumed-role|user\/gateway-portal|portal-provisioner|i-0abc123|123456789012|111122223333|444455556666|arn:aws/;

  it.each([
    [
      'IAM (AWS)',
      'User: arn:aws:sts::123456789012:assumed-role/portal-provisioner/i-0abc123 is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/backstage/backstage-lbc-prod because no identity-based policy allows the iam:CreateRole action',
      'the caller is not authorized to perform: iam:CreateRole on resource: role/backstage/backstage-lbc-prod because no identity-based policy allows the iam:CreateRole action',
    ],
    [
      'IAM (moto)',
      'User: arn:aws:iam::123456789012:user/gateway-portal is not authorized to perform: iam:CreatePolicy',
      'the caller is not authorized to perform: iam:CreatePolicy',
    ],
    [
      'EKS, explicit deny',
      'User: arn:aws:sts::111122223333:assumed-role/portal-provisioner/i-0abc123 is not authorized to perform: eks:CreatePodIdentityAssociation on resource: arn:aws:eks:eu-west-1:111122223333:cluster/prod with an explicit deny in a service control policy',
      'the caller is not authorized to perform: eks:CreatePodIdentityAssociation on resource: cluster/prod with an explicit deny in a service control policy',
    ],
    [
      'STS, cross-account role',
      'User: arn:aws:sts::123456789012:assumed-role/portal-provisioner/i-0abc123 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/portal-cross-account',
      'the caller is not authorized to perform: sts:AssumeRole on resource: role/portal-cross-account',
    ],
    [
      'EC2, encoded message',
      'You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/portal-provisioner/i-0abc123 is not authorized to perform: ec2:DescribeVpcs because no identity-based policy allows the ec2:DescribeVpcs action. Encoded authorization failure message: AbCd-EfGh_123456789012xyz',
      'You are not authorized to perform this operation. the caller is not authorized to perform: ec2:DescribeVpcs because no identity-based policy allows the ec2:DescribeVpcs action. encoded authorization message left out',
    ],
    [
      'a principal named elsewhere, a bare account',
      'Policy arn:aws:iam::aws:policy/AdministratorAccess cannot be attached by arn:aws:iam::123456789012:user/gateway-portal in account 111122223333.',
      'Policy policy/AdministratorAccess cannot be attached by [principal] in account [account].',
    ],
  ])('%s: keeps the action and resource, not the principal', (_, raw, out) => {
    const redacted = redactAwsIdentities(raw);
    expect(redacted).toBe(out);
    expect(redacted).not.toMatch(PRINCIPALS);
  });

  it('leaves text without identities as it is, and an ARN it cannot parse out', () => {
    expect(
      redactAwsIdentities('Role with name backstage-lbc-prod already exists.'),
    ).toBe('Role with name backstage-lbc-prod already exists.');
    expect(redactAwsIdentities('on resource: arn:aws:iam::12:role/x')).toBe(
      'on resource: [arn]',
    );
  });
});
