import { createHash } from 'node:crypto';
import { AwsClientFactory } from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';

/**
 * Checkpoint key of an AWS side effect: the action id plus a digest of every
 * parameter the effect depends on, so a recovered task replays the stored
 * result of the very same effect and a changed input runs it anew.
 */
export function awsCheckpointKey(actionId: string, params: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(params))
    .digest('hex');
  return `${actionId}:${digest.slice(0, 32)}`;
}

/**
 * What every AWS provisioning action is built with (from the module).
 * @public
 */
export interface AwsProvisioningActionOptions {
  awsClients: AwsClientFactory;
  guardrails: AwsGuardrails;
}
