import { IAMClient } from '@aws-sdk/client-iam';
import { AwsClientFactory } from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { awsCheckpointKey } from '../support/awsCheckpoint';

/** Account and optional region of an IAM action (IAM is global within a partition). */
export interface IamTarget {
  accountId: string;
  /** Only picks the partition and the IAM endpoint; undefined: the aws partition. */
  region?: string;
}

/**
 * The `accountId` and optional `region` inputs of an IAM action, each checked
 * against the guardrails (an empty region counts as none).
 */
export function iamTarget(
  guardrails: AwsGuardrails,
  input: { accountId: string; region?: string },
): IamTarget {
  const accountId = guardrails.accountId('accountId', input.accountId);
  const region = input.region
    ? guardrails.region('region', input.region)
    : undefined;
  return { accountId, region };
}

/**
 * The checkpoint of an IAM side effect, for `ctx.checkpoint`: keyed by the
 * action id and a digest of `keyParams` (a recovered task replays the stored
 * result instead of calling IAM again); runs `effect` with an IAM client for
 * the target.
 */
export function iamCheckpoint<T>(options: {
  awsClients: Pick<AwsClientFactory, 'iam'>;
  actionId: string;
  target: IamTarget;
  keyParams: unknown;
  effect: (iam: IAMClient) => Promise<T>;
}): { key: string; fn: () => Promise<T> } {
  const { awsClients, target, effect } = options;
  return {
    key: awsCheckpointKey(options.actionId, options.keyParams),
    fn: async () => effect(await awsClients.iam(target)),
  };
}
