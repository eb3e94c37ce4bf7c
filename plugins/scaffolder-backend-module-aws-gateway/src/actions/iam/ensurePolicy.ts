import {
  AWS_GATEWAY_ACTION_ID,
  ensurePolicy,
  EnsurePolicyResult,
  iamPolicyArn,
} from '@gateway-portal/plugin-aws-gateway-node';
import { examples } from './ensurePolicy.examples';
import { iamCheckpoint } from './iamEffect';
import { resolvePolicyInput } from './policyInput';
import { AwsProvisioningActionOptions } from '../support/awsCheckpoint';
import { createAwsGatewayAction } from '../support/inputDefaults';

/**
 * `aws-gateway:iam:ensure-policy`: makes sure a customer managed IAM policy
 * exists with the given document as its default version.
 *
 * @public
 */
export function createEnsurePolicyAction({
  awsClients,
  guardrails,
}: AwsProvisioningActionOptions) {
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.ensurePolicy,
    description:
      'Creates a customer managed IAM policy, or gives an existing one a new default version when its document differs. ' +
      'Only policies tagged as managed by this plugin are updated unless configuration allows otherwise; admin-equivalent ' +
      'documents are refused unless configuration allows them.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('AWS account id of the policy'),
        region: z =>
          z
            .string()
            .optional()
            .describe(
              'Region whose partition and IAM endpoint to use (default: the aws partition)',
            ),
        name: z =>
          z
            .string()
            .describe('Policy name; must start with the configured prefix'),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'IAM path at or under the configured one (default: the configured path)',
            ),
        document: z =>
          z
            .union([z.string(), z.record(z.unknown())])
            .optional()
            .describe('The policy document, as JSON text or an object'),
        documentPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative path of a JSON policy document (instead of document)',
            ),
        description: z =>
          z
            .string()
            .max(1000)
            .optional()
            .describe('Description of a new policy'),
        tags: z =>
          z
            .record(z.string())
            .optional()
            .describe('Extra tags for a new policy'),
        allowUpdatingUnmanaged: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Whether a policy not created by this plugin may get a new default version; cannot exceed configuration',
            ),
      },
      output: {
        policyArn: z => z.string(),
        changed: z =>
          z
            .boolean()
            .describe('Whether the policy was created or got a new version'),
        versionId: z =>
          z.string().describe('The default version after the action'),
      },
    },
    async handler(ctx) {
      const { target, params } = await resolvePolicyInput(
        guardrails,
        ctx.input,
        ctx.workspacePath,
      );

      if (ctx.isDryRun) {
        const policyArn = iamPolicyArn(params);
        ctx.logger.info(`Dry run: would ensure IAM policy ${policyArn}`);
        ctx.output('policyArn', policyArn);
        ctx.output('changed', false);
        ctx.output('versionId', 'v1');
        return;
      }

      const result = await ctx.checkpoint<EnsurePolicyResult>(
        iamCheckpoint({
          awsClients,
          actionId: AWS_GATEWAY_ACTION_ID.ensurePolicy,
          target,
          keyParams: params,
          effect: iam => ensurePolicy(iam, params, { abortSignal: ctx.signal }),
        }),
      );
      const pruned = result.prunedVersionId
        ? ` (deleted old version ${result.prunedVersionId})`
        : '';
      ctx.logger.info(
        `IAM policy ${result.policyArn}: ${result.action}, default version ${result.versionId}${pruned}`,
      );
      ctx.output('policyArn', result.policyArn);
      ctx.output('changed', result.changed);
      ctx.output('versionId', result.versionId);
    },
  });
}
