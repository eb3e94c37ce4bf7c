import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import { parseArn } from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;

/**
 * controller:render's AWS inputs against the guardrails: each check throws an
 * error naming the field and the rule.
 */
export function checkControllerAwsInputs(
  awsGuardrails: AwsGuardrails,
  input: {
    cluster: string;
    region: string;
    accountId?: string;
    serviceAccountNamespace: string;
    serviceAccountName: string;
    roleArn?: string;
  },
): { clusterName: string; region: string; accountId?: string } {
  const clusterName = awsGuardrails.cluster('cluster', input.cluster);
  const region = awsGuardrails.region('region', input.region);
  const accountId =
    input.accountId === undefined
      ? undefined
      : awsGuardrails.accountId('accountId', input.accountId);
  awsGuardrails.serviceAccount(
    'serviceAccountName',
    input.serviceAccountNamespace,
    input.serviceAccountName,
  );
  if (input.roleArn !== undefined) {
    // The role's own account when the input names none; the ARN is checked in full below.
    const roleAccount = parseArn(input.roleArn)?.accountId ?? '';
    awsGuardrails.associationRoleArn(
      'roleArn',
      input.roleArn,
      accountId ?? roleAccount,
    );
  }
  return { clusterName, region, accountId };
}

/** A vpcId that is not a VPC id (vpc-…); undefined when it is or is omitted. */
export function vpcIdIssue(
  vpcId: string | undefined,
): ManifestIssue | undefined {
  if (vpcId === undefined || VPC_ID.test(vpcId)) return undefined;
  const field = 'vpcId';
  return {
    field,
    rule: 'vpc-id',
    message: `${field} "${vpcId}" must be a VPC id like vpc-0123456789abcdef0`,
  };
}
