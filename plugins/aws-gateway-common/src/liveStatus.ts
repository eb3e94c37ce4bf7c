/**
 * The Backstage signal that tells an entity's Gateways card its status
 * changed. It carries nothing else: the card reads the new status through the
 * status API, which authorises the viewer.
 */

/** The signal channel of one entity (its stringified ref, lower-cased as the catalog compares refs). @public */
export function gatewayStatusSignalChannel(entityRef: string): string {
  return `aws-gateway:status:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** The message sent on that channel. @public */
export type GatewayStatusChangedSignal = {
  type: 'gateway-status-changed';
};
