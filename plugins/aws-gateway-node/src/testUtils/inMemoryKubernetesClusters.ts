import { KubeConfig } from '@kubernetes/client-node';
import { kubernetesPluginStatusError } from '../kubernetes/apiErrors';
import {
  GatewayCluster,
  KubernetesClusters,
} from '../kubernetes/KubernetesClusters';

/** One cluster of {@link InMemoryKubernetesClusters}: its listing and the KubeConfig handed out for it. @public */
export interface InMemoryCluster extends Partial<GatewayCluster> {
  name: string;
  kubeConfig: KubeConfig | (() => Promise<KubeConfig>);
}

/**
 * KubernetesClusters over given KubeConfigs, for unit tests and for peer
 * tests that build the services directly (no Kubernetes backend): an unknown
 * cluster is refused with the Kubernetes plugin's NotFoundError.
 *
 * @public
 */
export class InMemoryKubernetesClusters implements KubernetesClusters {
  constructor(private readonly clusters: InMemoryCluster[] = []) {}

  async listClusters(): Promise<GatewayCluster[]> {
    return this.clusters.map(c => ({
      name: c.name,
      ...(c.title ? { title: c.title } : {}),
      authProvider: c.authProvider ?? 'serviceAccount',
    }));
  }

  async getKubeConfig(clusterName: string): Promise<KubeConfig> {
    const cluster = this.clusters.find(c => c.name === clusterName);
    if (!cluster) {
      throw kubernetesPluginStatusError(404, {
        route: 'proxy',
        cluster: clusterName,
      });
    }
    return typeof cluster.kubeConfig === 'function'
      ? cluster.kubeConfig()
      : cluster.kubeConfig;
  }
}
