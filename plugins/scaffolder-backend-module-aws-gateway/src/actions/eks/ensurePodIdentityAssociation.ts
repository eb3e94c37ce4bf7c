import { createHash } from 'node:crypto';
import {
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  ensurePodIdentityAssociation,
  EnsurePodIdentityAssociationParams,
  EnsurePodIdentityAssociationResult,
  partitionForRegion,
} from '@gateway-portal/plugin-aws-gateway-node';
import { awsCheckpointKey } from '../support/awsCheckpoint';
import { resolveAssociationInput } from './associationInput';
import { examples } from './ensurePodIdentityAssociation.examples';
import { AwsProvisioningActionOptions } from '../support/awsCheckpoint';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { serviceAccountInputFields } from '../support/serviceAccountInput';

/**
 * `aws-gateway:eks:ensure-pod-identity-association`: makes sure an EKS
 * cluster's service account is associated with an IAM role through EKS Pod
 * Identity.
 *
 * @public
 */
export function createEnsurePodIdentityAssociationAction(
  options: AwsProvisioningActionOptions & {
    /** Backoff while IAM propagates a new role (tests pass short delays). */
    retry?: EnsurePodIdentityAssociationParams['retry'];
  },
) {
  const { awsClients, guardrails } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.ensurePodIdentityAssociation,
    description:
      'Associates a Kubernetes service account of an EKS cluster with an IAM role through EKS Pod Identity. ' +
      'An existing association with another role is only changed when configuration allows it.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('AWS account id of the cluster'),
        region: z => z.string().describe('Region of the cluster'),
        cluster: z => z.string().describe('EKS cluster name'),
        ...serviceAccountInputFields,
        roleArn: z =>
          z
            .string()
            .describe(
              'IAM role for the service account (same account as the cluster)',
            ),
        allowReplacingRole: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Whether an existing association with another role may be changed; cannot exceed configuration',
            ),
      },
      output: {
        associationArn: z => z.string(),
        associationId: z => z.string(),
        changed: z =>
          z
            .boolean()
            .describe('Whether the association was created or changed'),
      },
    },
    async handler(ctx) {
      const target = resolveAssociationInput(guardrails, ctx.input);
      const {
        accountId,
        region,
        clusterName,
        namespace,
        serviceAccount,
        roleArn,
        allowReplacingRole,
      } = target;

      if (ctx.isDryRun) {
        const partition = partitionForRegion(region);
        const associationId = 'a-dryrun0000000000';
        ctx.logger.info(
          `Dry run: would associate ${namespace}/${serviceAccount} in cluster ${clusterName} with ${roleArn}`,
        );
        ctx.output(
          'associationArn',
          `arn:${partition}:eks:${region}:${accountId}:podidentityassociation/${clusterName}/${associationId}`,
        );
        ctx.output('associationId', associationId);
        ctx.output('changed', false);
        return;
      }

      const key = awsCheckpointKey(
        AWS_GATEWAY_ACTION_ID.ensurePodIdentityAssociation,
        target,
      );
      const result = await ctx.checkpoint<EnsurePodIdentityAssociationResult>({
        key,
        fn: async () => {
          const eks = await awsClients.eks({ accountId, region });
          return ensurePodIdentityAssociation(
            eks,
            {
              clusterName,
              namespace,
              serviceAccount,
              roleArn,
              allowReplacingRole,
              tags: { [MANAGED_TAG_KEY]: MANAGED_TAG_VALUE },
              // Same task, same step, same target: EKS treats a repeated create as one.
              clientRequestToken: createHash('sha256')
                .update(`${ctx.task.id}/${key}`)
                .digest('hex')
                .slice(0, 64),
              retry: {
                ...options.retry,
                signal: ctx.signal,
                onRetry: ({ attempt, attemptsLeft }) =>
                  ctx.logger.info(
                    `EKS does not see role ${roleArn} yet (IAM is eventually consistent); attempt ${attempt} failed, retrying (${attemptsLeft} attempts left)`,
                  ),
              },
            },
            { abortSignal: ctx.signal },
          );
        },
      });
      const previously = result.previousRoleArn
        ? `, previously ${result.previousRoleArn}`
        : '';
      ctx.logger.info(
        `Pod Identity association ${result.associationId} (${namespace}/${serviceAccount} → ${roleArn}): ${result.action}${previously}`,
      );
      ctx.output('associationArn', result.associationArn);
      ctx.output('associationId', result.associationId);
      ctx.output('changed', result.changed);
    },
  });
}
