import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  AnonymousStrategy,
  AwsIamStrategy,
  DispatchStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import {
  AuthenticationStrategy,
  ClusterDetails,
} from '@backstage/plugin-kubernetes-node';
import { KubeConfig } from '@kubernetes/client-node';

/** A cluster as configured for the Kubernetes plugin, minus secrets. @public */
export interface GatewayCluster {
  name: string;
  title?: string;
  url: string;
  authProvider: string;
}

/**
 * Where this suite learns about clusters: the Kubernetes plugin's own
 * `kubernetes.clusterLocatorMethods` (type `config`), authenticated with the
 * Kubernetes plugin's own strategies (service account token, AWS IAM presigned
 * STS tokens for EKS, anonymous). Nobody configures a cluster twice.
 *
 * @public
 */
export interface KubernetesClusterRegistry {
  listClusters(): GatewayCluster[];
  /** A KubeConfig for one cluster, with a fresh credential. */
  getKubeConfig(clusterName: string): Promise<KubeConfig>;
}

const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';

/** @public */
export class ConfigKubernetesClusterRegistry
  implements KubernetesClusterRegistry
{
  static fromConfig(
    config: Config,
    options: {
      logger?: LoggerService;
      strategies?: Record<string, AuthenticationStrategy>;
    } = {},
  ): ConfigKubernetesClusterRegistry {
    const clusters: ClusterDetails[] = [];
    for (const method of config.getOptionalConfigArray(
      'kubernetes.clusterLocatorMethods',
    ) ?? []) {
      const type = method.getString('type');
      if (type !== 'config') {
        options.logger?.warn(
          `aws-gateway reads clusters of clusterLocatorMethods type "config" only; ignoring type "${type}"`,
        );
        continue;
      }
      for (const c of method.getOptionalConfigArray('clusters') ?? []) {
        const authProvider =
          c.getOptionalString('authProvider') ?? 'serviceAccount';
        const authMetadata: Record<string, string> = {
          ...(c.getOptional<Record<string, string>>('authMetadata') ?? {}),
          [AUTH_PROVIDER_KEY]: authProvider,
        };
        const token = c.getOptionalString('serviceAccountToken');
        if (token) authMetadata.serviceAccountToken = token;
        const assumeRole = c.getOptionalString('assumeRole');
        if (assumeRole)
          authMetadata['kubernetes.io/aws-assume-role'] = assumeRole;
        const externalId = c.getOptionalString('externalId');
        if (externalId)
          authMetadata['kubernetes.io/aws-external-id'] = externalId;
        clusters.push({
          name: c.getString('name'),
          title: c.getOptionalString('title'),
          url: c.getString('url'),
          authMetadata,
          skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
          caData: c.getOptionalString('caData'),
          caFile: c.getOptionalString('caFile'),
        });
      }
    }
    const strategies = options.strategies ?? {
      serviceAccount: new ServiceAccountStrategy(),
      aws: new AwsIamStrategy({ config }),
      localKubectlProxy: new AnonymousStrategy(),
    };
    return new ConfigKubernetesClusterRegistry(
      clusters,
      new DispatchStrategy({ authStrategyMap: strategies }),
    );
  }

  constructor(
    private readonly clusters: ClusterDetails[],
    private readonly auth: AuthenticationStrategy,
  ) {}

  listClusters(): GatewayCluster[] {
    return this.clusters.map(c => ({
      name: c.name,
      title: c.title,
      url: c.url,
      authProvider: c.authMetadata[AUTH_PROVIDER_KEY],
    }));
  }

  async getKubeConfig(clusterName: string): Promise<KubeConfig> {
    const cluster = this.clusters.find(c => c.name === clusterName);
    if (!cluster) {
      throw new NotFoundError(
        `Kubernetes cluster "${clusterName}" is not configured in kubernetes.clusterLocatorMethods`,
      );
    }
    const credential = await this.auth.getCredential(cluster, {});
    const kc = new KubeConfig();
    const user: Record<string, string> = { name: 'backstage' };
    if (credential.type === 'bearer token') user.token = credential.token;
    if (credential.type === 'x509 client certificate') {
      user.certData = Buffer.from(credential.cert).toString('base64');
      user.keyData = Buffer.from(credential.key).toString('base64');
    }
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          skipTLSVerify: cluster.skipTLSVerify ?? false,
          caData: cluster.caData,
          caFile: cluster.caFile,
        },
      ],
      users: [user],
      contexts: [
        { name: cluster.name, cluster: cluster.name, user: 'backstage' },
      ],
      currentContext: cluster.name,
    });
    return kc;
  }
}
