/**
 * Where rendered files live in the GitOps repository. One home: the commit
 * action derives its one target folder from here, and the expose form shows
 * the same paths before anything is submitted.
 */

/** The one folder of a Gateway's files in the GitOps repository. @public */
export function endpointTargetPath(namespace: string, name: string): string {
  return `gateways/${namespace}/${name}`;
}

/** The one folder of a route (and its ReferenceGrant) on a listener of a shared Gateway. @public */
export function sharedListenerTargetPath(
  namespace: string,
  routeName: string,
): string {
  return `shared-gateway-routes/${namespace}/${routeName}`;
}

/** The one folder of a cluster's controller setup in the GitOps repository. @public */
export function controllerTargetPath(cluster: string): string {
  return `clusters/${cluster}/aws-load-balancer-controller`;
}
