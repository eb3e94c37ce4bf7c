import {
  AWS_GATEWAY_ACTION_ID,
  ensureRole,
  EnsureRoleResult,
} from '@gateway-portal/plugin-aws-gateway-node';
import { examples } from './ensurePodIdentityRole.examples';
import { iamCheckpoint } from './iamEffect';
import { resolveRoleInput } from './roleInput';
import { AwsProvisioningActionOptions } from '../support/awsCheckpoint';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { serviceAccountInputFields } from '../support/serviceAccountInput';

/**
 * `aws-gateway:iam:ensure-pod-identity-role`: makes sure an IAM role that
 * EKS Pod Identity may assume exists, with the given policies attached.
 *
 * @public
 */
export function createEnsurePodIdentityRoleAction({
  awsClients,
  guardrails,
}: AwsProvisioningActionOptions) {
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.ensurePodIdentityRole,
    description:
      'Creates an IAM role trusted by EKS Pod Identity (pods.eks.amazonaws.com: sts:AssumeRole, sts:TagSession) for one ' +
      'account, cluster, namespace and service account (trust policy conditions on the session tags), under the ' +
      'configured path, with the configured permissions boundary and tags, and attaches the given policies. An existing role ' +
      'is only modified when this plugin created it, unless configuration allows adopting roles.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe('AWS account id of the role (the cluster account)'),
        region: z =>
          z
            .string()
            .optional()
            .describe(
              'Region whose partition and IAM endpoint to use (default: the aws partition)',
            ),
        roleName: z =>
          z
            .string()
            .describe('Role name; must start with the configured prefix'),
        cluster: z =>
          z
            .string()
            .describe(
              'EKS cluster whose Pod Identity may use the role (trust policy condition)',
            ),
        ...serviceAccountInputFields,
        policyArns: z =>
          z
            .array(z.string())
            .default([])
            .describe(
              'Managed policies to attach (allowed ones only; none are detached)',
            ),
        description: z =>
          z.string().max(1000).optional().describe('Description of a new role'),
        tags: z =>
          z.record(z.string()).optional().describe('Extra tags for the role'),
        allowAdoptingExisting: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Whether an existing role not created by this plugin may be modified; cannot exceed configuration',
            ),
      },
      output: {
        roleArn: z => z.string(),
        roleName: z => z.string(),
        changed: z =>
          z.boolean().describe('Whether anything was created or modified'),
      },
    },
    async handler(ctx) {
      const { target, params, roleArn } = resolveRoleInput(
        guardrails,
        ctx.input,
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ensure IAM role ${roleArn} with ${params.policyArns.length} policies`,
        );
        ctx.output('roleArn', roleArn);
        ctx.output('roleName', params.name);
        ctx.output('changed', false);
        return;
      }

      const result = await ctx.checkpoint<EnsureRoleResult>(
        iamCheckpoint({
          awsClients,
          actionId: AWS_GATEWAY_ACTION_ID.ensurePodIdentityRole,
          target,
          keyParams: { accountId: target.accountId, ...params },
          effect: iam => ensureRole(iam, params, { abortSignal: ctx.signal }),
        }),
      );
      ctx.logger.info(
        `IAM role ${result.roleArn}: ${
          result.changed ? result.operations.join(', ') : 'unchanged'
        }`,
      );
      ctx.output('roleArn', result.roleArn);
      ctx.output('roleName', result.roleName);
      ctx.output('changed', result.changed);
    },
  });
}
