import { Config } from '@backstage/config';
import {
  AwsTarget,
  isAwsAccountId,
  isAwsRegion,
  NamespaceGrant,
  readNamespaceGrants,
} from '@gateway-portal/plugin-aws-gateway-node';

/** Where a cluster's load balancers live, for lookups without an ARN. */
export interface ClusterAwsLocation {
  target?: AwsTarget;
  /** The controller's cluster name, as written in its `elbv2.k8s.aws/cluster` tag. */
  controllerClusterName: string;
}

export interface StatusConfig {
  cacheTtlMs: number;
  kubernetesTimeoutMs: number;
  /** Deadline of one AWS call, retries included. */
  awsTimeoutMs: number;
  maxGatewaysPerEntity: number;
  maxTargetGroupsPerGateway: number;
  maxConcurrentCallsPerCluster: number;
  /** Namespaces whose Gateways belong to the entities owned by their owners. */
  namespaceOwners: NamespaceGrant[];
  /** Longest a status request may take, lookups and collection included. */
  requestDeadlineMs: number;
  /** Longest a shared-cache read may take before it counts as a miss. */
  cacheTimeoutMs: number;
  /** How old a last known answer may be and still be served, marked stale. */
  staleMaxAgeMs: number;
  /** Limits on `refresh=true`, which bypasses the cache and costs AWS calls; 0 is no limit. */
  refresh: { minIntervalMs: number; perUserPerMinute: number };
  /** The load-balancer structure cache (per process): how long an entry is used, and by a refresh. */
  structure: { maxAgeMs: number; refreshAfterMs: number };
  locationOf(cluster: { name: string }): ClusterAwsLocation;
}

/** Defaults of awsGateway.status (documented in config.d.ts). */
export const STATUS_DEFAULTS = {
  kubernetesTimeoutMs: 10_000,
  awsTimeoutMs: 10_000,
  maxGatewaysPerEntity: 25,
  maxTargetGroupsPerGateway: 20,
  maxConcurrentCallsPerCluster: 32,
  namespaceOwners: [] as NamespaceGrant[],
  structure: { maxAgeMs: 60_000, refreshAfterMs: 10_000 },
};

const ROOT = 'awsGateway.status';

function positiveInteger(
  status: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = status?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${ROOT}.${key} must be a positive integer, got ${value}`);
  }
  return value;
}

function positiveSeconds(
  status: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = status?.getOptionalNumber(key) ?? fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new Error(`${ROOT}.${key} must be a positive number of seconds`);
  }
  return value * 1000;
}

function numberAtLeast(
  status: Config | undefined,
  key: string,
  fallback: number,
  min: number,
): number {
  const value = status?.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${ROOT}.${key} must be a number >= ${min}, got ${value}`);
  }
  return value;
}

function checkLocation(field: string, region?: string, accountId?: string) {
  if (region !== undefined && !isAwsRegion(region)) {
    throw new Error(`${field}.region "${region}" is not an AWS region name`);
  }
  if (accountId !== undefined && !isAwsAccountId(accountId)) {
    throw new Error(
      `${field}.accountId "${accountId}" is not a 12-digit AWS account id`,
    );
  }
}

/** Reads `awsGateway.status`; a malformed value fails the backend at startup. */
export function readStatusConfig(config: Config): StatusConfig {
  const status = config.getOptionalConfig(ROOT);
  const ttlSeconds = status?.getOptionalNumber('cacheTtlSeconds') ?? 15;
  if (ttlSeconds < 0) {
    throw new Error(`${ROOT}.cacheTtlSeconds must not be negative`);
  }
  const defaultRegion = status?.getOptionalString('region');
  checkLocation(ROOT, defaultRegion);
  const clusters = new Map(
    (status?.getOptionalConfigArray('clusters') ?? []).map((c, i) => {
      const location = {
        accountId: c.getOptionalString('accountId'),
        region: c.getOptionalString('region'),
        controllerClusterName: c.getOptionalString('controllerClusterName'),
      };
      checkLocation(
        `${ROOT}.clusters[${i}]`,
        location.region,
        location.accountId,
      );
      return [c.getString('name'), location];
    }),
  );
  return {
    cacheTtlMs: ttlSeconds * 1000,
    kubernetesTimeoutMs: positiveSeconds(
      status,
      'kubernetesTimeoutSeconds',
      STATUS_DEFAULTS.kubernetesTimeoutMs / 1000,
    ),
    awsTimeoutMs: positiveSeconds(
      status,
      'awsTimeoutSeconds',
      STATUS_DEFAULTS.awsTimeoutMs / 1000,
    ),
    maxGatewaysPerEntity: positiveInteger(
      status,
      'maxGatewaysPerEntity',
      STATUS_DEFAULTS.maxGatewaysPerEntity,
    ),
    maxTargetGroupsPerGateway: positiveInteger(
      status,
      'maxTargetGroupsPerGateway',
      STATUS_DEFAULTS.maxTargetGroupsPerGateway,
    ),
    maxConcurrentCallsPerCluster: positiveInteger(
      status,
      'maxConcurrentCallsPerCluster',
      STATUS_DEFAULTS.maxConcurrentCallsPerCluster,
    ),
    namespaceOwners: readNamespaceGrants(config),
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
    structure: {
      maxAgeMs:
        numberAtLeast(
          status,
          'structureMaxAgeSeconds',
          STATUS_DEFAULTS.structure.maxAgeMs / 1000,
          0,
        ) * 1000,
      refreshAfterMs:
        numberAtLeast(
          status,
          'structureRefreshAfterSeconds',
          STATUS_DEFAULTS.structure.refreshAfterMs / 1000,
          0,
        ) * 1000,
    },
    locationOf(cluster) {
      const configured = clusters.get(cluster.name);
      // The Kubernetes plugin does not tell a cluster's address: the region
      // is configured (per cluster, or the default).
      const region = configured?.region ?? defaultRegion;
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
