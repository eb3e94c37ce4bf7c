/**
 * What a refused request must not have changed: the Kubernetes objects any
 * action could create, and the one-step templates the dry-run endpoint runs
 * for inputs the software templates never pass.
 */
import * as k8s from '@kubernetes/client-node';

/** Gateway API and controller objects in the cluster, as `Kind/namespace/name`. */
export async function kubeSnapshot(kc: k8s.KubeConfig): Promise<string[]> {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const names: string[] = [];
  const kinds: Array<[string, string]> = [
    ['gateway.networking.k8s.io/v1', 'GatewayClass'],
    ['gateway.networking.k8s.io/v1', 'Gateway'],
    ['gateway.networking.k8s.io/v1', 'TCPRoute'],
    ['gateway.k8s.aws/v1', 'LoadBalancerConfiguration'],
    ['gateway.k8s.aws/v1', 'TargetGroupConfiguration'],
  ];
  for (const [apiVersion, kind] of kinds) {
    const list = await objects.list(apiVersion, kind);
    names.push(...list.items.map(i => `${kind}/${i.metadata?.namespace ?? ''}/${i.metadata?.name}`));
  }
  return names.sort();
}

/** A template of one step, for POST /api/scaffolder/v2/dry-run. */
export function oneStepTemplate(action: string, input: Record<string, unknown>) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'one-step', namespace: 'default' },
    spec: { owner: 'guests', type: 'test', parameters: [], steps: [{ id: 'step', name: action, action, input }] },
  };
}
