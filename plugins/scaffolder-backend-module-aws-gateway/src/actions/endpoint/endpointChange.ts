import { InputError } from '@backstage/errors';
import {
  EndpointBackend,
  EndpointSpec,
  LoadBalancerScheme,
} from '@gateway-portal/plugin-aws-gateway-common';

/** What a change of an endpoint may set: ports, scheme, source CIDRs, backends. Absent: kept. */
export interface EndpointChange {
  /** New ports, per listener (`name` may be left out when the Gateway has one listener). */
  listeners?: Array<{ name?: string; port: number }>;
  scheme?: LoadBalancerScheme;
  sourceCidrs?: string[];
  /** New backends, per route (`name` may be left out when there is one route). */
  routes?: Array<{ name?: string; backends: EndpointBackend[] }>;
}

/** The one item `name` designates, or the only one when it is left out; an InputError naming the field otherwise. */
function pick<T extends { name: string }>(
  items: T[],
  name: string | undefined,
  field: string,
  what: string,
): T {
  const names = items.map(i => i.name).join(', ');
  if (name === undefined) {
    if (items.length === 1) return items[0];
    throw new InputError(
      `${field}: name the ${what}; the Gateway has ${items.length} (${names})`,
    );
  }
  const found = items.find(i => i.name === name);
  if (!found)
    throw new InputError(
      `${field}: "${name}" is not a ${what} of the Gateway (${names})`,
    );
  return found;
}

const describeBackends = (backends: EndpointBackend[]) =>
  backends
    .map(
      b =>
        `${b.service}:${b.port}${
          b.weight !== undefined ? ` (${b.weight})` : ''
        }`,
    )
    .join(', ');

/**
 * The endpoint with the change applied, and one line per changed value.
 * Pure: guardrails and the cluster are checked by the caller, on the result.
 */
export function applyEndpointChange(
  current: EndpointSpec,
  change: EndpointChange,
): { spec: EndpointSpec; changes: string[] } {
  const spec: EndpointSpec = structuredClone(current);
  const changes: string[] = [];
  (change.listeners ?? []).forEach((c, i) => {
    const listener = pick(
      spec.listeners,
      c.name,
      `change.listeners[${i}].name`,
      'listener',
    );
    if (listener.port !== c.port)
      changes.push(
        `listener ${listener.name}: port ${listener.port} → ${c.port}`,
      );
    listener.port = c.port;
  });
  (change.routes ?? []).forEach((c, i) => {
    const route = pick(
      spec.routes,
      c.name,
      `change.routes[${i}].name`,
      'route',
    );
    const before = describeBackends(route.backends);
    const after = describeBackends(c.backends);
    if (before !== after)
      changes.push(`route ${route.name}: backends ${before} → ${after}`);
    route.backends = c.backends.map(b => ({ ...b }));
  });
  if (change.scheme !== undefined && change.scheme !== spec.scheme) {
    changes.push(`scheme ${spec.scheme} → ${change.scheme}`);
    spec.scheme = change.scheme;
  }
  if (change.sourceCidrs !== undefined) {
    const before = spec.sourceCidrs.join(', ') || 'none';
    const after = change.sourceCidrs.join(', ') || 'none';
    if (before !== after) changes.push(`source CIDRs ${before} → ${after}`);
    spec.sourceCidrs = [...change.sourceCidrs];
  }
  return { spec, changes };
}
