import {
  AWS_GATEWAY_ACTION_ID,
  iamPolicyArn,
  planPodIdentityAssociation,
  planPolicy,
  planRole,
  PodIdentityAssociationPlan,
  PolicyPlan,
  RolePlan,
} from '@gateway-portal/plugin-aws-gateway-node';
import { resolveAssociationInput } from '../eks/associationInput';
import { resolvePolicyInput } from '../iam/policyInput';
import { resolveRoleInput } from '../iam/roleInput';
import { examples } from './planControllerSetup.examples';
import { AwsProvisioningActionOptions } from '../support/awsCheckpoint';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { serviceAccountInputFields } from '../support/serviceAccountInput';

/** The three plans, as the task log and the output show them. */
export interface ControllerSetupPlan {
  policy: PolicyPlan;
  role: RolePlan & { roleArn: string };
  association: PodIdentityAssociationPlan;
}

function describePlan(plan: ControllerSetupPlan, subject: string): string[] {
  const { policy, role, association } = plan;
  const policyLine = {
    create: `create ${policy.policyArn}`,
    update: `new default version of ${policy.policyArn} (now ${
      policy.currentVersionId
    }${
      policy.pruneVersionId
        ? `; delete old version ${policy.pruneVersionId}`
        : ''
    })`,
    unchanged: `${policy.policyArn} is up to date`,
  }[policy.action];
  const roleLine = role.operations.length
    ? `${role.roleArn}: ${role.operations.join(', ')}`
    : `${role.roleArn} is up to date`;
  const associationLine = {
    create: `create for ${subject} → ${role.roleArn}`,
    update: `point ${association.associationId} for ${subject} from ${association.currentRoleArn} to ${role.roleArn}`,
    unchanged: `${association.associationId} for ${subject} already uses ${role.roleArn}`,
  }[association.action];
  return [
    `- IAM policy: ${policyLine}`,
    `- IAM role: ${roleLine}`,
    `- Pod Identity association: ${associationLine}`,
  ];
}

/**
 * `aws-gateway:controller:plan`: the read-only first AWS step of the
 * controller setup. It checks, with reads only, every precondition of the
 * policy, role and association steps that follow (the same inputs, the same
 * guardrails, the same plan functions they run before their own first write):
 * a policy or role this plugin does not manage, a role under another path, an
 * association that uses another role. A refusal here leaves AWS untouched;
 * otherwise the plan is printed in the task log.
 *
 * @public
 */
export function createPlanControllerSetupAction({
  awsClients,
  guardrails,
}: AwsProvisioningActionOptions) {
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.planControllerSetup,
    description:
      'Plans the controller setup in AWS with reads only: the IAM policy, the Pod Identity role and the association, ' +
      'checked against the guardrails and against what exists (ownership tags, path, trust policy, the role an ' +
      'association uses). Fails before any write when a later step would be refused; logs the plan otherwise.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe('AWS account id of the cluster, the policy and the role'),
        region: z => z.string().describe('Region of the cluster'),
        cluster: z => z.string().describe('EKS cluster name'),
        policyName: z =>
          z
            .string()
            .describe(
              'Name of the IAM policy (as given to aws-gateway:iam:ensure-policy)',
            ),
        documentPath: z =>
          z.string().describe('Workspace-relative path of the policy document'),
        roleName: z =>
          z
            .string()
            .describe(
              'Name of the role (as given to aws-gateway:iam:ensure-pod-identity-role)',
            ),
        ...serviceAccountInputFields,
      },
      output: {
        policyAction: z => z.enum(['create', 'update', 'unchanged']),
        roleOperations: z =>
          z
            .array(z.string())
            .describe('Writes the role step will make, in order'),
        associationAction: z => z.enum(['create', 'update', 'unchanged']),
        changes: z =>
          z
            .boolean()
            .describe('Whether the following steps will write anything'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const signal = { abortSignal: ctx.signal };
      // Inputs first, exactly as the three steps check them.
      const policy = await resolvePolicyInput(
        guardrails,
        {
          accountId: input.accountId,
          region: input.region,
          name: input.policyName,
          documentPath: input.documentPath,
        },
        ctx.workspacePath,
      );
      const role = resolveRoleInput(guardrails, {
        accountId: input.accountId,
        region: input.region,
        roleName: input.roleName,
        cluster: input.cluster,
        namespace: input.namespace,
        serviceAccount: input.serviceAccount,
        // The one policy is attached below, once its ARN is known.
        policyArns: [],
      });
      role.params.policyArns = [
        guardrails.attachablePolicyArn(
          'policyName',
          iamPolicyArn(policy.params),
        ),
      ];
      const association = resolveAssociationInput(guardrails, {
        accountId: input.accountId,
        region: input.region,
        cluster: input.cluster,
        namespace: input.namespace,
        serviceAccount: input.serviceAccount,
        roleArn: role.roleArn,
      });

      // Then AWS, read-only: each plan function throws the refusal its step would throw.
      const iam = await awsClients.iam(policy.target);
      const eks = await awsClients.eks({
        accountId: association.accountId,
        region: association.region,
      });
      const plan: ControllerSetupPlan = {
        policy: await planPolicy(iam, policy.params, signal),
        role: {
          ...(await planRole(iam, role.params, signal)),
          roleArn: role.roleArn,
        },
        association: await planPodIdentityAssociation(eks, association, signal),
      };
      const subject = `${association.namespace}/${association.serviceAccount} in cluster ${association.clusterName}`;
      const changes =
        plan.policy.action !== 'unchanged' ||
        plan.role.operations.length > 0 ||
        plan.association.action !== 'unchanged';
      ctx.logger.info(
        [
          `Plan (read-only; nothing has been written${
            ctx.isDryRun ? ', and a dry run writes nothing' : ''
          }):`,
          ...describePlan(plan, subject),
        ].join('\n'),
      );
      ctx.output('policyAction', plan.policy.action);
      ctx.output('roleOperations', plan.role.operations);
      ctx.output('associationAction', plan.association.action);
      ctx.output('changes', changes);
    },
  });
}
