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
  /** Longest a status request may take, lookups and collection included. */
  requestDeadlineMs: number;
  /** Longest a shared-cache read may take before it counts as a miss. */
  cacheTimeoutMs: number;
  /** How old a last known answer may be and still be served, marked stale. */
  staleMaxAgeMs: number;
  /** Limits on `refresh=true`, which bypasses the cache and costs AWS calls; 0 is no limit. */
  refresh: { minIntervalMs: number; perUserPerMinute: number };
  locationOf(cluster: { name: string; url: string }): ClusterAwsLocation;
}

const EKS_URL =
  /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?\/?$/i;

function numberAtLeast(
  status: Config | undefined,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = status?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new Error(
      `awsGateway.status.${key} must be a number >= ${min}, got ${value}`,
    );
  }
  return value;
}

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
    requestDeadlineMs: numberAtLeast(status, 'requestDeadlineMs', 4000, 100),
    cacheTimeoutMs: numberAtLeast(status, 'cacheTimeoutMs', 250, 10),
    staleMaxAgeMs: numberAtLeast(status, 'staleMaxAgeSeconds', 900, 0) * 1000,
    refresh: {
      minIntervalMs:
        numberAtLeast(status, 'refresh.minIntervalSeconds', 30, 0) * 1000,
      perUserPerMinute: numberAtLeast(
        status,
        'refresh.perUserPerMinute',
        10,
        0,
      ),
    },
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
