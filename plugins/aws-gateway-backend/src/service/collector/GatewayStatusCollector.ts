import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGatewaysResponse,
  GatewayStatus,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  GatewayCluster,
  KubernetesClusters,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2ClientSource, Elbv2Reader } from '../../aws/Elbv2Reader';
import { LoadBalancerLocator } from '../../aws/LoadBalancerLocator';
import { ConcurrencyLimits } from '../../concurrencyLimit';
import { STATUS_DEFAULTS, StatusConfig } from '../../config';
import { AnswerDue } from '../../deadline';
import {
  ClusterReader,
  ServedVersionCache,
} from '../../kubernetes/ClusterReader';
import { ClusterEventReader } from '../../kubernetes/events/ClusterEventReader';
import { EventApiCache } from '../../kubernetes/events/EventApiCache';
import {
  KubernetesConnectOptions,
  KubernetesObjectClient,
} from '../../kubernetes/KubernetesObjectClient';
import { Gateway } from '../../kubernetes/types';
import {
  gatewaySelectorFor,
  GatewaySelector,
  GatewayRef,
  gatewayViewerOf,
  isGatewayLinked,
  missingReferenceErrors,
  referencesIn,
  unconfiguredClusterErrors,
} from '../entityGateways';
import { notLinkedErrors } from '../gatewayTrust';
import { describeGateway, RequestScope } from './describeGateway';
import { FailureReport } from './failureReport';
import { LoadBalancerStructureCache } from './structureCache';

export interface GatewayStatusCollectorOptions {
  clusters: Pick<KubernetesClusters, 'listClusters'>;
  kubernetes: KubernetesObjectClient;
  elbv2: Elbv2ClientSource;
  /** `locationOf` is required; the limits and ownership default as documented in config.d.ts. */
  config: Pick<StatusConfig, 'locationOf'> & Partial<CollectorSettings>;
  servedVersions?: ServedVersionCache;
  /** Which events API each cluster answers (shared by requests). */
  eventApis?: EventApiCache;
  /** Where the details of failures go (users get generic messages). */
  logger?: LoggerService;
  /**
   * What a cluster's answer says about its live updates (the watch cache's
   * refused lists and watches), read after the cluster's reads.
   */
  liveUpdateNotes?: (
    cluster: string,
    signal?: AbortSignal,
    answerDue?: AnswerDue,
  ) => StatusError[] | Promise<StatusError[]>;
}

/** The settings the collector applies (see STATUS_DEFAULTS). */
export type CollectorSettings = Pick<
  StatusConfig,
  | 'awsTimeoutMs'
  | 'structure'
  | 'maxGatewaysPerEntity'
  | 'maxTargetGroupsPerGateway'
  | 'maxConcurrentCallsPerCluster'
  | 'namespaceOwners'
>;

export interface CollectOptions {
  /** The request's deadline or cancellation: every call ends when it fires. */
  signal?: AbortSignal;
  /** The caller's tokens for clusters whose auth provider takes the user's own. */
  kubernetesCredentials?: UserKubernetesCredentials;
  /** The user asked for a refresh: load-balancer structure older than its refresh bound is read again. */
  refresh?: boolean;
  /** When the caller's answer is due: the watch cache's waits end before it (its reads do not). */
  answerDue?: AnswerDue;
}

interface ClusterResult {
  cluster: string;
  gateways: GatewayStatus[];
  /** Gateways answered with "not linked" (so they are not also "not found"). */
  unlinked: GatewayRef[];
  errors: StatusError[];
}

/**
 * Reads the live state of an entity's Gateways: Kubernetes first (the Gateway
 * and what relates to it, in parallel), then ELBv2 (load balancer, listeners,
 * target groups, target health), starting each AWS call as soon as what it
 * needs is known. Only Gateways linked to the entity are read further
 * (`isGatewayLinked`); only TargetGroupBindings of the Gateway's and its
 * backends' namespaces that bind one of its load balancer's target groups are
 * used; only ARNs in the cluster's configured AWS location are called or
 * linked. Every failure becomes a StatusError on the part it concerns, with a
 * generic message (details in the log); a request never fails because a
 * cluster or an AWS call did.
 */
export class GatewayStatusCollector {
  private readonly servedVersions: ServedVersionCache;
  private readonly eventApis: EventApiCache;
  private readonly awsLimits: ConcurrencyLimits;
  private readonly settings: CollectorSettings;
  private readonly report: FailureReport;
  private readonly structures: LoadBalancerStructureCache;

  constructor(private readonly options: GatewayStatusCollectorOptions) {
    this.report = new FailureReport(options.logger);
    this.servedVersions = options.servedVersions ?? new ServedVersionCache();
    this.eventApis = options.eventApis ?? new EventApiCache();
    const c = options.config;
    this.settings = {
      awsTimeoutMs: c.awsTimeoutMs ?? STATUS_DEFAULTS.awsTimeoutMs,
      maxGatewaysPerEntity:
        c.maxGatewaysPerEntity ?? STATUS_DEFAULTS.maxGatewaysPerEntity,
      maxTargetGroupsPerGateway:
        c.maxTargetGroupsPerGateway ??
        STATUS_DEFAULTS.maxTargetGroupsPerGateway,
      maxConcurrentCallsPerCluster:
        c.maxConcurrentCallsPerCluster ??
        STATUS_DEFAULTS.maxConcurrentCallsPerCluster,
      namespaceOwners: c.namespaceOwners ?? STATUS_DEFAULTS.namespaceOwners,
      structure: c.structure ?? STATUS_DEFAULTS.structure,
    };
    this.structures = new LoadBalancerStructureCache(this.settings.structure);
    this.awsLimits = new ConcurrencyLimits(
      this.settings.maxConcurrentCallsPerCluster,
    );
  }

  async collect(
    entity: Entity,
    entityRef: string,
    options: CollectOptions = {},
  ): Promise<EntityGatewaysResponse> {
    const response: EntityGatewaysResponse = {
      entityRef,
      configured: true,
      gateways: [],
      errors: [],
      fetchedAt: new Date().toISOString(),
    };
    let clusters: GatewayCluster[];
    try {
      clusters = await this.options.clusters.listClusters({
        signal: options.signal,
      });
    } catch (error) {
      // Without the Kubernetes plugin's cluster list nothing can be read.
      response.errors.push(
        this.report.failure('kubernetes', error, {
          action: "list the Kubernetes plugin's clusters",
        }),
      );
      return response;
    }
    response.configured = clusters.length > 0;
    if (!clusters.length) return response;

    const selector = gatewaySelectorFor(entity);
    if (selector.type === 'none') return response;
    if (selector.type === 'invalid') {
      response.errors.push({
        part: 'catalog',
        kind: 'error',
        message: selector.message,
      });
      return response;
    }
    if (
      selector.type === 'references' &&
      selector.references.length > this.settings.maxGatewaysPerEntity
    ) {
      response.errors.push({
        part: 'catalog',
        kind: 'error',
        message: `aws-gateway.io/gateways names ${selector.references.length} Gateways; at most ${this.settings.maxGatewaysPerEntity} are read for one entity (awsGateway.status.maxGatewaysPerEntity)`,
      });
      return response;
    }

    const known = new Set(clusters.map(c => c.name));
    if (selector.type === 'references') {
      response.errors.push(
        ...unconfiguredClusterErrors(selector.references, known),
      );
    }

    const elbv2 = new Elbv2Reader(this.options.elbv2, {
      signal: options.signal,
      callTimeoutMs: this.settings.awsTimeoutMs,
      limits: this.awsLimits,
    });
    const scope: RequestScope = {
      elbv2,
      locator: new LoadBalancerLocator(elbv2),
      viewer: gatewayViewerOf(entity, entityRef),
      signal: options.signal,
      structures: this.structures,
      refresh: options.refresh,
    };
    const results = await Promise.all(
      clusters
        .filter(c => this.clusterIsWanted(c, selector))
        .map(c =>
          this.collectCluster(c, selector, scope, {
            userCredentials: options.kubernetesCredentials,
            answerDue: options.answerDue,
          }),
        ),
    );
    for (const r of results) {
      response.gateways.push(...r.gateways);
      response.errors.push(...r.errors);
    }

    if (selector.type === 'references') {
      const seen = [
        ...response.gateways.map(g => g.gateway),
        ...results.flatMap(r => r.unlinked),
      ];
      // A Gateway may hide in a cluster that could not be read: that
      // cluster's error already says so.
      const failed = new Set(
        results.filter(r => r.errors.length).map(r => r.cluster),
      );
      response.errors.push(
        ...missingReferenceErrors(selector.references, seen, failed, known),
      );
    }
    // Notes, not failures: the answer is whole (read directly).
    const notes = await Promise.all(
      results.map(r =>
        this.options.liveUpdateNotes?.(
          r.cluster,
          options.signal,
          options.answerDue,
        ),
      ),
    );
    response.errors.push(...notes.flatMap(n => n ?? []));
    return response;
  }

  private clusterIsWanted(
    cluster: GatewayCluster,
    selector: GatewaySelector,
  ): boolean {
    if (selector.type !== 'references') return true;
    return referencesIn(selector.references, cluster.name).length > 0;
  }

  private async collectCluster(
    cluster: GatewayCluster,
    selector: GatewaySelector,
    scope: RequestScope,
    connectOptions: Pick<
      KubernetesConnectOptions,
      'userCredentials' | 'answerDue'
    >,
  ): Promise<ClusterResult> {
    const result: ClusterResult = {
      cluster: cluster.name,
      gateways: [],
      unlinked: [],
      errors: [],
    };
    let reader: ClusterReader;
    let events: ClusterEventReader;
    let found: Gateway[];
    try {
      const connection = await this.options.kubernetes.connect(cluster.name, {
        ...connectOptions,
        signal: scope.signal,
      });
      reader = new ClusterReader(cluster.name, connection, this.servedVersions);
      events = new ClusterEventReader(cluster.name, connection, this.eventApis);
      if (selector.type === 'references') {
        const refs = referencesIn(selector.references, cluster.name);
        reader.prefetch([...new Set(refs.map(r => r.namespace))]);
        const gateways = await Promise.all(
          refs.map(r => reader.getGateway(r.namespace, r.name)),
        );
        found = gateways.filter((g): g is Gateway => Boolean(g));
      } else if (selector.type === 'label') {
        reader.prefetch(selector.namespace ? [selector.namespace] : []);
        found = await reader.listGateways({
          namespace: selector.namespace,
          labelSelector: selector.labelSelector,
        });
      } else {
        found = [];
      }
    } catch (e) {
      result.errors.push(
        this.report.failure('kubernetes', e, { cluster: cluster.name }),
      );
      return result;
    }

    const linked: Gateway[] = [];
    const notLinked: Gateway[] = [];
    for (const gw of found) {
      (isGatewayLinked(
        gw,
        cluster.name,
        scope.viewer,
        this.settings.namespaceOwners,
      )
        ? linked
        : notLinked
      ).push(gw);
    }
    result.errors.push(...notLinkedErrors(cluster.name, selector, notLinked));
    result.unlinked = notLinked.map(g => ({
      cluster: cluster.name,
      namespace: g.metadata.namespace ?? '',
      name: g.metadata.name,
    }));
    if (linked.length > this.settings.maxGatewaysPerEntity) {
      result.errors.push({
        part: 'catalog',
        kind: 'error',
        cluster: cluster.name,
        message: `${linked.length} Gateways in cluster ${cluster.name} belong to this entity; at most ${this.settings.maxGatewaysPerEntity} are read for one entity (awsGateway.status.maxGatewaysPerEntity)`,
      });
      return result;
    }
    const location = this.options.config.locationOf(cluster);
    result.gateways = await Promise.all(
      linked.map(gateway =>
        describeGateway({
          cluster,
          location,
          reader,
          events,
          gateway,
          scope,
          report: this.report,
          maxTargetGroups: this.settings.maxTargetGroupsPerGateway,
        }),
      ),
    );
    return result;
  }
}
