import { GatewayState } from './status';

/**
 * What the Kubernetes side of a Gateway says of its state: its deletion mark
 * and its Accepted/Programmed condition statuses.
 *
 * @public
 */
export interface GatewayConditionFacts {
  /** The Gateway has a deletionTimestamp (the controller's finalizer holds it until its NLB is gone). */
  deleting: boolean;
  accepted?: string;
  programmed?: string;
}

/**
 * A Gateway's state from its Kubernetes facts alone, the one rule the status
 * card and the catalog share (the card refines it with the load balancer):
 * being removed whatever the conditions still say; Accepted or Programmed
 * False is an error; Programmed True is programmed; Accepted True alone is
 * still provisioning; anything else has no status from the controller yet.
 *
 * @public
 */
export function gatewayConditionState(
  facts: GatewayConditionFacts,
): GatewayState {
  if (facts.deleting) return 'removing';
  if (facts.accepted === 'False' || facts.programmed === 'False') {
    return 'error';
  }
  if (facts.programmed === 'True') return 'programmed';
  if (facts.accepted === 'True') return 'provisioning';
  return 'unknown';
}
