import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import { describePortRanges, GatewayGuardrails } from './guardrails';

/**
 * A port number's range, and for listener ports the platform's allowed ranges
 * (backend and health-check ports are not listener ports: no guardrail).
 */
export function portIssues(
  port: number,
  field: string,
  guardrails?: GatewayGuardrails,
): ManifestIssue[] {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return [
      {
        field,
        rule: 'port-range',
        message: `${field} ${port} must be an integer from 1 to 65535`,
      },
    ];
  }
  if (
    guardrails &&
    !guardrails.allowedListenerPorts.some(r => port >= r.from && port <= r.to)
  ) {
    return [
      {
        field,
        rule: 'listener-port-not-allowed',
        message: `${field} ${port} is not an allowed listener port (configuration allows ${describePortRanges(
          guardrails.allowedListenerPorts,
        )})`,
      },
    ];
  }
  return [];
}
