import { AWS_GATEWAY_ACTION_ID } from '@gateway-portal/plugin-aws-gateway-node';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { examples } from './changeSharedListener.examples';
import {
  editSharedListener,
  SharedGatewayActionDeps,
  sharedListenerEditInputFields,
  sharedListenerEditOutputs,
} from './editSharedListener';
import { pendingReviewsOutput } from './pendingReviews';
import { targetGroupConfigurationCheckOutput } from './sharedGatewayCluster';
import {
  applySharedListenerChange,
  endpointChangeField,
} from './endpointChange';

/**
 * Changes a listener the portal added to a shared Gateway — its port, its
 * protocol (TCP, UDP or TLS, as the Gateway offers), a TLS listener's host
 * name (among the platform's `tlsHostnames`) or its backend Service — through
 * a pull request to the platform's GitOps repository: exactly that listener in the Gateway's
 * manifest and the app's route are rewritten, after checking that both are
 * what the portal wrote (its mark, no hand edit), for the component named,
 * that the new port is free on the live Gateway, in the manifest and in the
 * portal's other open review pull requests, and that the cluster accepts the
 * result (server-side dry run). The scheme and source CIDRs are the shared
 * Gateway's: a change of them is refused. A listener whose expose pull
 * request is still open is changed on that pull request's branch. A re-run
 * reuses the branch and the pull request; once merged, it changes nothing.
 *
 * @public
 */
export function createChangeSharedListenerAction(
  options: SharedGatewayActionDeps,
) {
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.changeSharedListener,
    description:
      "Changes your listener on a shared Gateway (port, protocol, a TLS listener's host name, backend Service): the listener in the Gateway's manifest and your route, through a pull request to the platform's GitOps repository. Refuses a listener or route the portal did not write or that was edited by hand, and a port that is taken.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...sharedListenerEditInputFields,
        change: endpointChangeField,
      },
      output: {
        ...sharedListenerEditOutputs,
        changes: z =>
          z.array(z.string()).describe('One line per changed value'),
        serverDryRun: z => z.enum(['passed']).optional(),
        ...pendingReviewsOutput,
        // Only a change writes a TargetGroupConfiguration (a listener turned TLS); a removal writes none.
        ...targetGroupConfigurationCheckOutput,
      },
    },
    async handler(ctx) {
      await editSharedListener(ctx, options, ctx.input, {
        op: 'change',
        actionId: AWS_GATEWAY_ACTION_ID.changeSharedListener,
        decide: current => applySharedListenerChange(current, ctx.input.change),
      });
    },
  });
}
