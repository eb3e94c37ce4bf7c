/**
 * What a refused request must not have changed: the Kubernetes objects any
 * action could create, and the one-step templates the dry-run endpoint runs
 * for inputs the software templates never pass.
 */
import * as k8s from '@kubernetes/client-node';

/**
 * Gateway API and controller objects in the cluster, as `Kind/namespace/name`.
 * Each kind is listed in the first of its versions the API server serves (the
 * gateway-api-v1.3 profile serves TCPRoute v1alpha2 and the LBC CRDs v1beta1).
 */
export async function kubeSnapshot(kc: k8s.KubeConfig): Promise<string[]> {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const names: string[] = [];
  const kinds: Array<[string, string[]]> = [
    ['GatewayClass', ['gateway.networking.k8s.io/v1']],
    ['Gateway', ['gateway.networking.k8s.io/v1']],
    [
      'TCPRoute',
      ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2'],
    ],
    [
      'LoadBalancerConfiguration',
      ['gateway.k8s.aws/v1', 'gateway.k8s.aws/v1beta1'],
    ],
    [
      'TargetGroupConfiguration',
      ['gateway.k8s.aws/v1', 'gateway.k8s.aws/v1beta1'],
    ],
  ];
  for (const [kind, apiVersions] of kinds) {
    const items = await listFirstServed(objects, kind, apiVersions);
    names.push(
      ...items.map(
        i => `${kind}/${i.metadata?.namespace ?? ''}/${i.metadata?.name}`,
      ),
    );
  }
  return names.sort();
}

async function listFirstServed(
  objects: k8s.KubernetesObjectApi,
  kind: string,
  apiVersions: string[],
): Promise<k8s.KubernetesObject[]> {
  const unserved: string[] = [];
  for (const apiVersion of apiVersions) {
    try {
      return (await objects.list(apiVersion, kind)).items;
    } catch (e) {
      // The client resolves the resource through discovery first: a group version the server does not serve
      // answers 404, a served one without this kind "Unrecognized API version and kind".
      const notServed =
        (e as { code?: number }).code === 404 ||
        /Unrecognized API version and kind/.test((e as Error).message);
      if (!notServed) throw e;
      unserved.push(apiVersion);
    }
  }
  throw new Error(`${kind} is served in none of ${unserved.join(', ')}`);
}

/** A template of one step, for POST /api/scaffolder/v2/dry-run. */
export function oneStepTemplate(
  action: string,
  input: Record<string, unknown>,
) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'one-step', namespace: 'default' },
    spec: {
      owner: 'guests',
      type: 'test',
      parameters: [],
      steps: [{ id: 'step', name: action, action, input }],
    },
  };
}
