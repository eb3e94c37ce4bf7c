import { InputError } from '@backstage/errors';
import {
  EndpointBackend,
  EndpointSpec,
  LoadBalancerScheme,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  SHARED_LISTENER_PROTOCOLS,
  SharedListenerProtocol,
  SharedListenerRequest,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ZodImpl } from '../support/inputDefaults';

/** What a change of an endpoint may set: ports, scheme, source CIDRs, backends. Absent: kept. */
export interface EndpointChange {
  /** New ports (and, on a shared Gateway, protocols), per listener (`name` may be left out when the Gateway has one listener). */
  listeners?: Array<{
    name?: string;
    port?: number;
    protocol?: SharedListenerProtocol;
    /** A TLS listener's new host name (on a shared Gateway). */
    hostname?: string;
  }>;
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
    if (c.protocol !== undefined && c.protocol !== listener.protocol) {
      throw new InputError(
        `change.listeners[${i}].protocol: listener ${listener.name} of a Gateway of its own keeps its protocol (${listener.protocol}); remove the endpoint and expose it again for ${c.protocol} [listener-protocol-fixed]`,
      );
    }
    if (c.hostname && c.hostname !== listener.hostname) {
      throw new InputError(
        `change.listeners[${i}].hostname: listener ${listener.name} of a Gateway of its own keeps its host name; remove the endpoint and expose it again [listener-hostname-fixed]`,
      );
    }
    if (c.port === undefined) return;
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

/**
 * A listener on a shared Gateway with the change applied, and one line per
 * changed value. Its port, protocol and one backend Service may change; the
 * scheme and source CIDRs are the shared Gateway's (the platform team's), so
 * a change of them is refused, naming the field. Pure: the caller checks the
 * result against the shared Gateway (`planSharedListenerEdit`).
 */
export function applySharedListenerChange(
  current: SharedListenerRequest,
  change: EndpointChange,
): {
  next: SharedListenerRequest;
  changes: string[];
  /** The change's field for each request field a refusal of the new values names (`planSharedListenerEdit`'s fieldNames). */
  fields: Record<string, string>;
} {
  const platformOwned = [
    ['scheme', change.scheme !== undefined],
    ['sourceCidrs', !!change.sourceCidrs?.length],
  ] as const;
  for (const [field, given] of platformOwned) {
    if (given) {
      throw new InputError(
        `change.${field}: a listener on shared Gateway ${current.sharedGateway} has the shared Gateway's scheme and source CIDRs, which the platform team sets; ask them, or expose a Gateway of your own [shared-gateway-setting]`,
      );
    }
  }
  const next: SharedListenerRequest = structuredClone(current);
  const changes: string[] = [];
  const listener = { name: current.listenerName };
  // Every entry is this one listener's (pick refuses another): a value is named where it was given, else in the last entry.
  const lastListener = Math.max((change.listeners?.length ?? 0) - 1, 0);
  const givenAt = {
    port: lastListener,
    protocol: lastListener,
    hostname: lastListener,
  };
  (change.listeners ?? []).forEach((c, i) => {
    pick([listener], c.name, `change.listeners[${i}].name`, 'listener');
    if (c.port !== undefined) givenAt.port = i;
    if (c.protocol !== undefined) givenAt.protocol = i;
    if (c.hostname) givenAt.hostname = i;
    if (c.port !== undefined && c.port !== next.listenerPort) {
      changes.push(
        `listener ${listener.name}: port ${next.listenerPort} → ${c.port}`,
      );
      next.listenerPort = c.port;
    }
    if (c.protocol !== undefined && c.protocol !== next.protocol) {
      changes.push(
        `listener ${listener.name}: protocol ${next.protocol} → ${c.protocol}`,
      );
      next.protocol = c.protocol;
    }
    if (c.hostname && c.hostname !== next.hostname) {
      changes.push(
        `listener ${listener.name}: host name ${next.hostname ?? 'none'} → ${
          c.hostname
        }`,
      );
      next.hostname = c.hostname;
    }
  });
  // Only a TLS listener has a host name (a TCP or UDP one may not: the Gateway API).
  if (next.protocol !== 'TLS') delete next.hostname;
  (change.routes ?? []).forEach((c, i) => {
    const field = `change.routes[${i}]`;
    pick([{ name: current.routeName }], c.name, `${field}.name`, 'route');
    if (c.backends.length !== 1) {
      throw new InputError(
        `${field}.backends: a listener on a shared Gateway sends to one Service (got ${c.backends.length}) [shared-one-backend]`,
      );
    }
    const [b] = c.backends;
    if (b.weight !== undefined) {
      throw new InputError(
        `${field}.backends[0].weight: a listener on a shared Gateway has one Service, which takes all traffic; leave the weight out [shared-one-backend]`,
      );
    }
    const before = describeBackends([next.backend]);
    const after = describeBackends([b]);
    if (before !== after)
      changes.push(`route ${current.routeName}: backends ${before} → ${after}`);
    next.backend = { ...next.backend, service: b.service, port: b.port };
  });
  const route = `change.routes[${Math.max(
    (change.routes?.length ?? 0) - 1,
    0,
  )}].backends[0]`;
  const fields = {
    listenerName: `change.listeners[${lastListener}].name`,
    listenerPort: `change.listeners[${givenAt.port}].port`,
    protocol: `change.listeners[${givenAt.protocol}].protocol`,
    hostname: `change.listeners[${givenAt.hostname}].hostname`,
    'backend.service': `${route}.service`,
    'backend.port': `${route}.port`,
  };
  return { next, changes, fields };
}

/** The `change` input of the change actions (a Gateway of its own, or a listener on a shared one): one definition. */
export const endpointChangeField = (z: ZodImpl) =>
  z
    .object({
      listeners: z
        .array(
          z.object({
            name: z
              .string()
              .optional()
              .describe('Listener name; optional with one listener'),
            port: z.number().int().optional().describe('New port'),
            protocol: z
              .enum(SHARED_LISTENER_PROTOCOLS)
              .optional()
              .describe(
                'New protocol (a listener on a shared Gateway only: TCP, UDP or TLS as it offers)',
              ),
            hostname: z
              .string()
              .optional()
              .describe(
                'New host name of a TLS listener on a shared Gateway (required when the protocol becomes TLS); empty: kept',
              ),
          }),
        )
        .optional()
        .describe('New listener ports'),
      scheme: z
        .enum(['internal', 'internet-facing'])
        .optional()
        .describe('New scheme (a Gateway of its own only)'),
      sourceCidrs: z
        .array(z.string())
        .optional()
        .describe('New source CIDRs, all of them (a Gateway of its own only)'),
      routes: z
        .array(
          z.object({
            name: z
              .string()
              .optional()
              .describe('Route name; optional with one route'),
            backends: z
              .array(
                z.object({
                  service: z.string(),
                  port: z.number().int(),
                  weight: z.number().int().optional(),
                }),
              )
              .describe('New backends (all of them)'),
          }),
        )
        .optional()
        .describe('New backends, per route'),
    })
    .default({})
    .describe('What changes; anything left out is kept');
