import { AWS_GATEWAY_ACTION_ID } from '@gateway-portal/plugin-aws-gateway-node';
import { createAwsGatewayAction } from '../support/inputDefaults';
import {
  editSharedListener,
  SharedGatewayActionDeps,
  sharedListenerEditInputFields,
  sharedListenerEditOutputs,
} from './editSharedListener';
import { examples } from './removeSharedListener.examples';

/**
 * Removes a listener the portal added to a shared Gateway, through a pull
 * request to the platform's GitOps repository: exactly that listener leaves
 * the Gateway's manifest (the platform's other listeners and comments stay)
 * and the app's route folder is deleted (files the portal did not write are
 * left), after checking that both are what the portal wrote, unedited, for
 * the component named. A listener whose expose pull request is still open
 * is removed from that pull request's branch (it then adds nothing and can
 * be closed). Already removed: nothing is written.
 *
 * @public
 */
export function createRemoveSharedListenerAction(
  options: SharedGatewayActionDeps,
) {
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.removeSharedListener,
    description:
      "Removes your listener from a shared Gateway: the listener in the Gateway's manifest and your route's files, through a pull request to the platform's GitOps repository. Refuses a listener or route the portal did not write or that was edited by hand.",
    examples,
    supportsDryRun: true,
    schema: {
      input: sharedListenerEditInputFields,
      output: sharedListenerEditOutputs,
    },
    async handler(ctx) {
      await editSharedListener(ctx, options, ctx.input, {
        op: 'remove',
        actionId: AWS_GATEWAY_ACTION_ID.removeSharedListener,
      });
    },
  });
}
