import { ApisApi, KubeConfig, V1APIResource } from '@kubernetes/client-node';
import {
  abortableCall,
  AbortableObjectApi,
  KUBERNETES_CALL_TIMEOUT_MS,
  kubernetesDeadlineError,
} from './abortSignal';
import { kubernetesPluginError } from './apiErrors';
import {
  CONTROLLER_PROFILES,
  ControllerProfile,
  GATEWAY_API_GROUP_NAME,
  L4_ROUTE_KINDS,
  L4RouteKind,
  LBC_API_GROUP_NAME,
} from '@gateway-portal/plugin-aws-gateway-common';

/**
 * Reads API discovery for one group version. KubernetesObjectApi already
 * caches resource lists per apiVersion; this exposes that lookup.
 */
class ResourceDiscovery extends AbortableObjectApi {
  lookup(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
    return this.resource(apiVersion, kind);
  }
}

/** What the cluster's discovery API serves, and the profile it matches. @public */
export interface DetectedControllerProfile {
  /** Undefined when the cluster matches no supported profile; `problem` says why. */
  profile?: ControllerProfile;
  problem?: string;
  /** apiVersions the cluster serves for each L4 route kind. */
  routeApiVersions: Record<L4RouteKind, string[]>;
  /** Served versions of the controller's gateway.k8s.aws group. */
  lbcApiVersions: string[];
}

function describeServed(served: Record<L4RouteKind, string[]>): string {
  return L4_ROUTE_KINDS.map(
    k => `${k}: ${served[k].join(', ') || 'not served'}`,
  ).join('; ');
}

/**
 * Asks the cluster's discovery API which L4 route versions and controller CRD
 * versions it serves, and picks the newest supported profile whose manifests
 * it would accept.
 *
 * @public
 */
export async function detectControllerProfile(
  kubeConfig: KubeConfig,
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<DetectedControllerProfile> {
  try {
    return await detectControllerProfileOnce(kubeConfig, signal, timeoutMs);
  } catch (error) {
    throw (
      kubernetesDeadlineError(
        error,
        signal,
        timeoutMs,
        'Reading the API discovery',
      ) ??
      kubernetesPluginError(error, 'Reading the API discovery') ??
      error
    );
  }
}

async function detectControllerProfileOnce(
  kubeConfig: KubeConfig,
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<DetectedControllerProfile> {
  const groups = await kubeConfig
    .makeApiClient(ApisApi)
    .getAPIVersions(undefined, abortableCall(signal, timeoutMs));
  const versionsOf = (group: string) =>
    groups.groups
      .find(g => g.name === group)
      ?.versions.map(v => v.groupVersion) ?? [];
  const gatewayVersions = versionsOf(GATEWAY_API_GROUP_NAME);
  const lbcApiVersions = versionsOf(LBC_API_GROUP_NAME);

  const discovery = ResourceDiscovery.forKubeConfig(kubeConfig, {
    signal,
    timeoutMs,
  });
  const routeApiVersions = Object.fromEntries(
    L4_ROUTE_KINDS.map(kind => [kind, [] as string[]]),
  ) as Record<L4RouteKind, string[]>;
  for (const apiVersion of gatewayVersions) {
    for (const kind of L4_ROUTE_KINDS) {
      signal?.throwIfAborted();
      if (await discovery.lookup(apiVersion, kind))
        routeApiVersions[kind].push(apiVersion);
    }
  }

  const result: DetectedControllerProfile = {
    routeApiVersions,
    lbcApiVersions,
  };
  if (!routeApiVersions.TCPRoute.length) {
    result.problem = `the cluster serves no TCPRoute (Gateway API group: ${
      gatewayVersions.join(', ') || 'not installed'
    }); install the Gateway API CRDs the controller expects (v1.3 experimental channel, or v1.6 standard channel for controller v3.5)`;
    return result;
  }
  if (!lbcApiVersions.length) {
    result.problem = `the cluster serves no ${LBC_API_GROUP_NAME} CRDs (LoadBalancerConfiguration, TargetGroupConfiguration); install the AWS Load Balancer Controller's gateway CRDs`;
    return result;
  }
  const candidates = Object.values(CONTROLLER_PROFILES).reverse();
  result.profile = candidates.find(
    p =>
      L4_ROUTE_KINDS.every(kind =>
        routeApiVersions[kind].includes(p.routeApiVersions[kind]),
      ) && lbcApiVersions.includes(p.lbcApiVersion),
  );
  if (!result.profile) {
    result.problem = `the cluster's Gateway API CRDs match no supported controller profile (${describeServed(
      routeApiVersions,
    )}; ${LBC_API_GROUP_NAME}: ${lbcApiVersions.join(', ')})`;
  }
  return result;
}

/**
 * Why a requested profile's manifests would be rejected by a cluster, or
 * undefined when the cluster serves everything the profile renders.
 *
 * @public
 */
export function profileMismatch(
  requested: ControllerProfile,
  detected: DetectedControllerProfile,
  /** The route kinds the manifests use; only those must be served. */
  kinds: readonly L4RouteKind[] = L4_ROUTE_KINDS,
): string | undefined {
  const problems: string[] = [];
  for (const kind of kinds) {
    const wanted = requested.routeApiVersions[kind];
    const served = detected.routeApiVersions[kind];
    if (!served.includes(wanted)) {
      problems.push(
        `${kind} ${wanted} is not served (the cluster serves ${
          served.join(', ') || 'none'
        })`,
      );
    }
  }
  if (!detected.lbcApiVersions.includes(requested.lbcApiVersion)) {
    problems.push(
      `${requested.lbcApiVersion} is not served (the cluster serves ${
        detected.lbcApiVersions.join(', ') || 'none'
      })`,
    );
  }
  return problems.length ? problems.join('; ') : undefined;
}
