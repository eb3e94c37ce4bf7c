import {
  EndpointBackend,
  EndpointListener,
  EndpointSpec,
} from '@gateway-portal/plugin-aws-gateway-common';
import { DEFAULT_BACKEND_WEIGHT } from './rules';

function backendsText(backends: EndpointBackend[]): string {
  const weights = backends.map(b => b.weight ?? DEFAULT_BACKEND_WEIGHT);
  const total = weights.reduce((a, b) => a + b, 0);
  const served = backends
    .map((b, i) => ({ b, weight: weights[i] }))
    .filter(({ weight }) => weight > 0);
  const parts = served.map(({ b, weight }) =>
    served.length > 1
      ? `${b.service}:${b.port} (weight ${weight}, ${
          Math.round((weight / total) * 1000) / 10
        }% of new connections)`
      : `${b.service}:${b.port}`,
  );
  const idle = backends
    .filter((_b, i) => weights[i] === 0)
    .map(b => `${b.service}:${b.port}`);
  return `${
    parts.length === 1
      ? 'one target group'
      : `${parts.length} target groups in one weighted forward action`
  }: ${parts.join(', ')}${
    idle.length ? `; no target group for ${idle.join(', ')} (weight 0)` : ''
  }`;
}

/**
 * How the AWS Load Balancer Controller will serve an endpoint, one sentence
 * per load balancer port, for the dry run and the template's output: what
 * the Gateway API objects alone do not say (see the notes on the real
 * controller: one NLB listener per port, TCP + UDP merged into TCP_UDP for the
 * oldest route, TLS passed through as TCP, one target group per weighted
 * backend). Assumes a spec that validateEndpointSpec accepts.
 *
 * @public
 */
export function endpointControllerNotes(spec: EndpointSpec): string[] {
  const ports = [...new Set(spec.listeners.map(l => l.port))];
  return ports.map(port => {
    const on = spec.listeners.filter(l => l.port === port);
    const routeOf = (l: EndpointListener) =>
      spec.routes.find(r => r.listener === l.name);
    if (on.length > 1) {
      const names = on.map(l => `"${l.name}" (${l.protocol})`).join(' and ');
      const routes = on
        .map(routeOf)
        .filter(r => r !== undefined)
        .map(r => `"${r.name}"`)
        .join(' and ');
      const backends = routeOf(on[0])?.backends ?? [];
      return `Port ${port}: listeners ${names} become ONE TCP_UDP load balancer listener. The controller builds its TCP_UDP target groups from the oldest of routes ${routes} only (the other stays Accepted with no target group of its own), so both routes send to the same backends, each serving TCP and UDP on its target port: ${backendsText(
        backends,
      )}.`;
    }
    const listener = on[0];
    const backends = routeOf(listener)?.backends ?? [];
    const kind =
      listener.protocol === 'TLS'
        ? `TLS listener "${listener.name}" is passed through: a TCP load balancer listener forwarding the TLS bytes untouched to TCP target groups (the TargetGroupConfiguration says protocol TCP; the load balancer does not route by host name)`
        : `${listener.protocol} listener "${listener.name}" becomes a ${listener.protocol} load balancer listener`;
    return `Port ${port}: ${kind}, with ${backendsText(backends)}.`;
  });
}
