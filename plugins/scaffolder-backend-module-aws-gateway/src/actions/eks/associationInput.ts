import { AwsGuardrails } from '../../guardrails/awsGuardrails';

/** The inputs that describe a Pod Identity association (ensure-pod-identity-association, controller:plan). */
export interface AssociationInput {
  accountId: string;
  region: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  allowReplacingRole?: boolean;
}

/** Every association input checked against the guardrails before any AWS call. */
export function resolveAssociationInput(
  guardrails: AwsGuardrails,
  input: AssociationInput,
) {
  const accountId = guardrails.accountId('accountId', input.accountId);
  const region = guardrails.region('region', input.region);
  const clusterName = guardrails.cluster('cluster', input.cluster);
  const { namespace, serviceAccount } = input;
  guardrails.serviceAccount('serviceAccount', namespace, serviceAccount);
  const roleArn = guardrails.associationRoleArn(
    'roleArn',
    input.roleArn,
    accountId,
  );
  const allowReplacingRole = guardrails.allowance(
    'allowReplacingRole',
    input.allowReplacingRole,
    'podIdentity.allowReplacingAssociationRole',
  );
  return {
    accountId,
    region,
    clusterName,
    namespace,
    serviceAccount,
    roleArn,
    allowReplacingRole,
  };
}
