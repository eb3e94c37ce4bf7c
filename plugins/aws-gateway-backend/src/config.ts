import { Config } from '@backstage/config';
import { AwsTarget } from '@gateway-portal/plugin-aws-gateway-node';

/** Where a cluster's load balancers live, for lookups without an ARN. */
export interface ClusterAwsLocation {
  target?: AwsTarget;
  /** The controller's cluster name, as written in its `elbv2.k8s.aws/cluster` tag. */
  controllerClusterName: string;
}

export interface StatusConfig {
  cacheTtlMs: number;
  kubernetesTimeoutMs: number;
  locationOf(cluster: { name: string; url: string }): ClusterAwsLocation;
}

const EKS_URL =
  /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?\/?$/i;

/** Reads `awsGateway.status`. */
export function readStatusConfig(config: Config): StatusConfig {
  const status = config.getOptionalConfig('awsGateway.status');
  const ttlSeconds = status?.getOptionalNumber('cacheTtlSeconds') ?? 15;
  if (ttlSeconds < 0) {
    throw new Error('awsGateway.status.cacheTtlSeconds must not be negative');
  }
  const timeoutSeconds =
    status?.getOptionalNumber('kubernetesTimeoutSeconds') ?? 10;
  const defaultRegion = status?.getOptionalString('region');
  const clusters = new Map(
    (status?.getOptionalConfigArray('clusters') ?? []).map(c => [
      c.getString('name'),
      {
        accountId: c.getOptionalString('accountId'),
        region: c.getOptionalString('region'),
        controllerClusterName: c.getOptionalString('controllerClusterName'),
      },
    ]),
  );
  return {
    cacheTtlMs: ttlSeconds * 1000,
    kubernetesTimeoutMs: timeoutSeconds * 1000,
    locationOf(cluster) {
      const configured = clusters.get(cluster.name);
      const region =
        configured?.region ?? EKS_URL.exec(cluster.url)?.[1] ?? defaultRegion;
      return {
        controllerClusterName:
          configured?.controllerClusterName ?? cluster.name,
        target: region
          ? { region, accountId: configured?.accountId }
          : undefined,
      };
    },
  };
}
