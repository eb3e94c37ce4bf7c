import { GatewayGuardrails } from './guardrails';
import { ObservedService } from './types';

/** Everything the validator knows besides the spec. @public */
export interface EndpointValidationContext {
  guardrails: GatewayGuardrails;
  /**
   * Backend Services as the cluster reports them, keyed by name. Undefined
   * when no cluster is configured: the Service checks are skipped then.
   */
  services?: Map<string, ObservedService | undefined>;
}
