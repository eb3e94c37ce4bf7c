import {
  EndpointBackend,
  EndpointListener,
  EndpointRoute,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';

/**
 * A listener as a request may give it: with its own backends (the route is
 * implied), or without (a route in `routes` names it).
 *
 * @public
 */
export interface EndpointListenerInput extends EndpointListener {
  /** The backends of the listener's route, which is then rendered for it. */
  backends?: EndpointBackend[];
  /** Name of that route; `<gateway>-<listener>` when omitted. */
  routeName?: string;
}

/**
 * Listeners and routes of a request, with the routes its listeners imply
 * appended, and how to name an issue about an implied route by the input
 * field it came from.
 *
 * @public
 */
export interface EndpointListenerRoutes {
  /** The listeners, without backends. */
  listeners: EndpointListener[];
  /** The request's routes, then one per listener that carried backends. */
  routes: EndpointRoute[];
  /** Problems of the request's shape itself (fields of the input). */
  issues: ManifestIssue[];
  /** Issues on `routes[k]` of an implied route, renamed to `listeners[i]` (`.name` → `.routeName`). */
  inInputFields(issues: ManifestIssue[]): ManifestIssue[];
}

/**
 * Turns listeners that carry their backends into a route each, after the
 * routes the request names itself (so their `routes[k]` fields keep their
 * indexes). A listener may carry backends or be named by routes, not both.
 *
 * @public
 */
export function endpointListenerRoutes(
  gatewayName: string,
  listeners: EndpointListenerInput[],
  routes: EndpointRoute[] = [],
): EndpointListenerRoutes {
  const issues: ManifestIssue[] = [];
  const implied: Array<{ route: EndpointRoute; listenerIndex: number }> = [];
  listeners.forEach((listener, i) => {
    const field = `listeners[${i}]`;
    if (listener.backends === undefined) {
      if (listener.routeName !== undefined) {
        issues.push({
          field: `${field}.routeName`,
          rule: 'listener-route-name-without-backends',
          message: `${field}.routeName applies only with ${field}.backends (the route it names is rendered from them)`,
        });
      }
      return;
    }
    const named = routes.findIndex(r => r.listener === listener.name);
    if (named >= 0) {
      issues.push({
        field: `${field}.backends`,
        rule: 'listener-backends-and-route',
        message: `${field}.backends: listener "${listener.name}" has backends and is named by routes[${named}] too; give its backends in one place`,
      });
      return;
    }
    implied.push({
      listenerIndex: i,
      route: {
        name: listener.routeName ?? `${gatewayName}-${listener.name}`,
        listener: listener.name,
        backends: listener.backends,
      },
    });
  });
  const renames = implied.map(({ listenerIndex }, n) => ({
    pattern: new RegExp(
      `routes\\[${routes.length + n}\\](\\.name\\b)?(?![\\d\\]])`,
      'g',
    ),
    to: (nameSuffix: string | undefined) =>
      `listeners[${listenerIndex}]${nameSuffix ? '.routeName' : ''}`,
  }));
  const rename = (text: string) =>
    renames.reduce(
      (out, { pattern, to }) =>
        out.replace(pattern, (_m, nameSuffix) => to(nameSuffix)),
      text,
    );
  return {
    listeners: listeners.map(({ name, protocol, port, hostname }) => ({
      name,
      protocol,
      port,
      ...(hostname !== undefined ? { hostname } : {}),
    })),
    routes: [...routes, ...implied.map(i => i.route)],
    issues,
    inInputFields: found =>
      found.map(i => ({
        ...i,
        field: rename(i.field),
        message: rename(i.message),
      })),
  };
}
