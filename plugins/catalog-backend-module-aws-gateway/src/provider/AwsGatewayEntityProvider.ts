import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  KubernetesApiError,
  KubernetesClusters,
} from '@gateway-portal/plugin-aws-gateway-node';
import { GatewayProviderSettings } from '../config';
import { ClusterObjectsReader, readClusterObjects } from './clusterObjects';
import { gatewayFactsOf } from './gatewayFacts';
import { ComponentLookup, resolveGatewayOwners } from './gatewayOwners';
import { gatewayResourceEntity } from './gatewayResource';

export interface AwsGatewayEntityProviderOptions {
  /** The Kubernetes plugin's clusters. */
  clusters: KubernetesClusters;
  components: ComponentLookup;
  settings: Pick<
    GatewayProviderSettings,
    'defaultOwner' | 'namespaceOwners' | 'awsLocationOf'
  >;
  logger: LoggerService;
  /** Runs `refresh` once connected; scheduler tasks run on one replica at a time. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Reads one cluster; the default lists through @kubernetes/client-node. */
  readCluster?: ClusterObjectsReader;
}

/** The log's words for a failure: never an address or a token. */
function describeFailure(error: unknown): string {
  if (error instanceof KubernetesApiError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'failed';
}

/**
 * Publishes each Gateway of a GatewayClass of the AWS Load Balancer
 * Controller's NLB support, on every cluster the Kubernetes plugin knows, as
 * a catalog Resource (`spec.type: aws-nlb-endpoint`), with a `full` mutation:
 * a removed Gateway's Resource disappears. A cluster that cannot be read
 * keeps the Resources this provider last published for it; when it has none
 * for it (a replica that just started), nothing is replaced this run, so a
 * cluster outage never empties the catalog.
 */
export class AwsGatewayEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly lastPublished = new Map<string, Entity[]>();

  constructor(private readonly options: AwsGatewayEntityProviderOptions) {}

  getProviderName(): string {
    return 'aws-gateway-entity-provider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async signal => {
        await this.refresh(signal);
      },
    });
  }

  /** The location key of every Resource, naming this provider. */
  private get location(): string {
    return `aws-gateway:${this.getProviderName()}`;
  }

  /**
   * Reads every cluster and replaces this provider's Resources; resolves to
   * the number published, or undefined when nothing was replaced.
   */
  async refresh(signal: AbortSignal): Promise<number | undefined> {
    const connection = this.connection;
    if (!connection) throw new Error('The entity provider is not connected');
    const { clusters, logger } = this.options;
    const names = (await clusters.listClusters({ signal })).map(c => c.name);
    const results = await Promise.all(
      names.map(async cluster => {
        try {
          return { cluster, entities: await this.readCluster(cluster, signal) };
        } catch (e) {
          signal.throwIfAborted();
          logger.warn(
            `Gateways of cluster ${cluster} could not be read; its catalog Resources are kept as they were: ${describeFailure(
              e,
            )}`,
          );
          return { cluster, entities: this.lastPublished.get(cluster) };
        }
      }),
    );
    signal.throwIfAborted();
    if (results.some(r => r.entities === undefined)) {
      logger.warn(
        'Gateway Resources not replaced this run: a cluster could not be read and this replica has not read it before',
      );
      return undefined;
    }
    const entities = results.flatMap(r => r.entities!);
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.location,
      })),
    });
    this.lastPublished.clear();
    for (const r of results) this.lastPublished.set(r.cluster, r.entities!);
    logger.info(
      `Published ${entities.length} Gateway Resources from ${names.length} clusters`,
    );
    return entities.length;
  }

  private async readCluster(
    cluster: string,
    signal: AbortSignal,
  ): Promise<Entity[]> {
    const { clusters, components, settings } = this.options;
    const read = this.options.readCluster ?? readClusterObjects;
    const objects = await read(
      await clusters.getKubeConfig(cluster, { signal }),
      signal,
    );
    const facts = gatewayFactsOf(
      cluster,
      objects,
      settings.awsLocationOf(cluster),
    );
    for (const gw of facts.filter(f => f.rejectedSourceRanges > 0)) {
      this.options.logger.warn(
        `Gateway ${gw.namespace}/${gw.name} in cluster ${cluster}: ${gw.rejectedSourceRanges} source ranges are no canonical CIDR and are not shown`,
      );
    }
    const owners = await resolveGatewayOwners(facts, components, settings);
    return facts.map((gw, i) =>
      gatewayResourceEntity(gw, owners[i], this.location),
    );
  }
}
