import { GatewayStatus } from './status';

/**
 * Whether a gateway needs someone's attention: not programmed, or with
 * warnings. Then its events lead with warnings and the card opens them.
 *
 * @public
 */
export function gatewayNeedsAttention(
  status: Pick<GatewayStatus, 'state' | 'warnings'>,
): boolean {
  return status.state !== 'programmed' || status.warnings.length > 0;
}
