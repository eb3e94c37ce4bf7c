import {
  EntityGatewaysResponse,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';

function allErrors(response: EntityGatewaysResponse): StatusError[] {
  return [
    ...response.errors,
    ...response.gateways.flatMap(g => [
      ...g.errors,
      ...g.listeners.flatMap(l => l.targetGroups.flatMap(t => t.errors)),
    ]),
  ];
}

/**
 * Why an answer is not the whole picture, when a source could not be reached
 * or AWS was throttling: a sentence for the card that names the part (and the
 * cluster), never an address. Undefined when the answer is complete.
 */
export function degradedReason(
  response: EntityGatewaysResponse,
  awsThrottling: boolean,
): string | undefined {
  const errors = allErrors(response);
  const unreachable = errors.find(e => e.kind === 'unreachable');
  if (unreachable) {
    if (unreachable.part === 'kubernetes') {
      return unreachable.cluster
        ? `Kubernetes cluster ${unreachable.cluster} could not be reached`
        : 'A Kubernetes cluster could not be reached';
    }
    return unreachable.part === 'aws'
      ? 'AWS could not be reached'
      : 'The catalog could not be reached';
  }
  if (awsThrottling && errors.some(e => e.part === 'aws')) {
    return 'AWS is throttling reads';
  }
  return undefined;
}
