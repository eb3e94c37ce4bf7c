import {
  EnsureRoleParams,
  iamRoleArn,
  partitionForRegion,
  podIdentityTrustPolicy,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { IamTarget, iamTarget } from './iamEffect';

/** The inputs that describe a Pod Identity role (ensure-pod-identity-role, controller:plan). */
export interface RoleInput {
  accountId: string;
  region?: string;
  roleName: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  policyArns: string[];
  description?: string;
  tags?: Record<string, string>;
  allowAdoptingExisting?: boolean;
}

/**
 * Every role input checked against the guardrails before any AWS call; the
 * trust policy is scoped to the account, cluster, namespace and service
 * account, and the permissions boundary is required when configuration says so.
 */
export function resolveRoleInput(
  guardrails: AwsGuardrails,
  input: RoleInput,
): { target: IamTarget; params: EnsureRoleParams; roleArn: string } {
  const target = iamTarget(guardrails, input);
  const { accountId } = target;
  const roleName = guardrails.roleName('roleName', input.roleName);
  const clusterName = guardrails.cluster('cluster', input.cluster);
  const { namespace, serviceAccount } = input;
  guardrails.serviceAccount('serviceAccount', namespace, serviceAccount);
  const policyArns = input.policyArns.map((arn, i) =>
    guardrails.attachablePolicyArn(`policyArns[${i}]`, arn),
  );
  const tags = guardrails.tags('tags', input.tags);
  const allowAdoptingUnmanaged = guardrails.allowance(
    'allowAdoptingExisting',
    input.allowAdoptingExisting,
    'iam.allowAdoptingExistingRoles',
  );
  const path = guardrails.settings.iam.path;
  return {
    target,
    roleArn: iamRoleArn({
      partition: partitionForRegion(target.region),
      accountId,
      path,
      name: roleName,
    }),
    params: {
      path,
      name: roleName,
      description: input.description,
      trustPolicy: podIdentityTrustPolicy({
        accountId,
        clusterName,
        namespace,
        serviceAccount,
      }),
      permissionsBoundaryArn: guardrails.permissionsBoundary('roleName'),
      tags,
      policyArns,
      allowAdoptingUnmanaged,
    },
  };
}
