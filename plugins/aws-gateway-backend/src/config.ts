import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AwsTarget,
  isAwsAccountId,
  isAwsRegion,
} from '@gateway-portal/plugin-aws-gateway-node';

/** Where a cluster's load balancers live, for lookups without an ARN. */
export interface ClusterAwsLocation {
  target?: AwsTarget;
  /** The controller's cluster name, as written in its `elbv2.k8s.aws/cluster` tag. */
  controllerClusterName: string;
}

/** Namespaces whose Gateways belong to the entities owned by `owners`. */
export interface NamespaceOwnership {
  /** Every cluster when absent. */
  cluster?: string;
  namespace: string;
  /** Normalised entity refs (lower case, `group:default/team-a`). */
  owners: string[];
}

export interface StatusConfig {
  cacheTtlMs: number;
  kubernetesTimeoutMs: number;
  /** Deadline of one AWS call, retries included. */
  awsTimeoutMs: number;
  maxGatewaysPerEntity: number;
  maxTargetGroupsPerGateway: number;
  maxConcurrentCallsPerCluster: number;
  namespaceOwners: NamespaceOwnership[];
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

/** Defaults of awsGateway.status (documented in config.d.ts). */
export const STATUS_DEFAULTS = {
  kubernetesTimeoutMs: 10_000,
  awsTimeoutMs: 10_000,
  maxGatewaysPerEntity: 25,
  maxTargetGroupsPerGateway: 20,
  maxConcurrentCallsPerCluster: 8,
  namespaceOwners: [] as NamespaceOwnership[],
};

const ROOT = 'awsGateway.status';
const EKS_URL =
  /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?\/?$/i;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Entity refs compare case-insensitively. */
export function normaliseEntityRef(
  ref: string,
  defaults: { defaultKind: string; defaultNamespace: string },
): string {
  return stringifyEntityRef(parseEntityRef(ref, defaults)).toLocaleLowerCase(
    'en-US',
  );
}

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

function readNamespaceOwners(status: Config | undefined): NamespaceOwnership[] {
  return (status?.getOptionalConfigArray('namespaceOwners') ?? []).map(
    (entry, i) => {
      const field = `${ROOT}.namespaceOwners[${i}]`;
      const namespace = entry.getString('namespace');
      if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
        throw new Error(
          `${field}.namespace "${namespace}" is not a namespace name`,
        );
      }
      const owners = entry.getStringArray('owners').map((owner, j) => {
        try {
          return normaliseEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: 'default',
          });
        } catch (e) {
          throw new Error(
            `${field}.owners[${j}] "${owner}" is not an entity ref: ${
              (e as Error).message
            }`,
          );
        }
      });
      const cluster = entry.getOptionalString('cluster');
      return { ...(cluster ? { cluster } : {}), namespace, owners };
    },
  );
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
    namespaceOwners: readNamespaceOwners(status),
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
        configured?.region ??
        EKS_URL.exec(cluster.url)?.[1]?.toLowerCase() ??
        defaultRegion;
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
