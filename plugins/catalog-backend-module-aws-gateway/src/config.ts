import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  isAwsAccountId,
  isAwsRegion,
  NamespaceGrant,
  normaliseOwnerRef,
  readNamespaceGrants,
} from '@gateway-portal/plugin-aws-gateway-node';

const ROOT = 'awsGateway.catalog';

/** The schedule when none is configured. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 2 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 15 },
};

/** The owner when none is configured. */
export const DEFAULT_OWNER = 'group:default/platform';

/** Where a cluster's NLBs live, for trusting the ARN a Gateway's status names. */
export interface ClusterAwsLocation {
  region: string;
  accountId?: string;
}

export interface GatewayProviderSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Normalised group ref. */
  defaultOwner: string;
  namespaceOwners: NamespaceGrant[];
  /** From awsGateway.status.clusters[]: only a configured location makes a console link. */
  awsLocationOf(cluster: string): ClusterAwsLocation | undefined;
}

/**
 * `awsGateway.catalog`, plus what the status backend's configuration says
 * about ownership (`namespaceOwners`) and where each cluster's load balancers
 * are (`clusters[].region/accountId`). A malformed value fails the backend
 * at startup.
 */
export function readGatewayProviderSettings(
  config: Config,
): GatewayProviderSettings {
  const catalog = config.getOptionalConfig(ROOT);
  const scheduleConfig = catalog?.getOptionalConfig('schedule');
  const locations = new Map<string, ClusterAwsLocation>();
  const statusClusters =
    config.getOptionalConfigArray('awsGateway.status.clusters') ?? [];
  statusClusters.forEach((c, i) => {
    const region = c.getOptionalString('region');
    const accountId = c.getOptionalString('accountId');
    if (!region || !isAwsRegion(region)) return;
    if (accountId !== undefined && !isAwsAccountId(accountId)) {
      throw new Error(
        `awsGateway.status.clusters[${i}].accountId "${accountId}" is not a 12-digit AWS account id`,
      );
    }
    locations.set(c.getString('name'), {
      region,
      ...(accountId ? { accountId } : {}),
    });
  });
  return {
    schedule: scheduleConfig
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
      : DEFAULT_SCHEDULE,
    defaultOwner: normaliseOwnerRef(
      catalog?.getOptionalString('defaultOwner') ?? DEFAULT_OWNER,
      `${ROOT}.defaultOwner`,
    ),
    namespaceOwners: readNamespaceGrants(config),
    awsLocationOf: cluster => locations.get(cluster),
  };
}
