import {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { UserKubernetesCredentials } from '@gateway-portal/plugin-aws-gateway-node';
import { StatusConfig } from '../config';
import { Deadline, TIMED_OUT } from '../deadline';
import { describeFailure } from '../failures';
import {
  noStatusMetrics,
  StaleReason,
  StatusMetrics,
  StatusOutcome,
} from '../metrics';
import { RateLimitedLog } from '../rateLimitedLog';
import { AwsBackoff } from './awsBackoff';
import { degradedReason } from './degraded';
import { EntityAccess, EntityAccessOptions } from './entityAccess';
import {
  GatewayStatusService,
  GetEntityGatewaysRequest,
} from './GatewayStatusService';
import { LiveStatus } from './liveStatus/LiveStatusNotifier';
import { callerOf, RefreshBudget } from './refreshBudget';
import { EntityGatewaysSource, SharedReads } from './sharedReads';
import {
  ageMs,
  lastKnownAnswer,
  servable,
  StatusCache,
  statusCacheKey,
  userStatusCacheKey,
} from './statusCache';

/** The `awsGateway.status` settings the service applies. */
export type StatusSettings = Pick<
  StatusConfig,
  | 'cacheTtlMs'
  | 'kubernetesTimeoutMs'
  | 'requestDeadlineMs'
  | 'cacheTimeoutMs'
  | 'staleMaxAgeMs'
  | 'refresh'
>;

export interface DefaultGatewayStatusServiceOptions
  extends Pick<EntityAccessOptions, 'catalog' | 'permissions' | 'auth'> {
  cache: CacheService;
  logger: LoggerService;
  source: EntityGatewaysSource;
  settings: StatusSettings;
  metrics?: StatusMetrics;
  /** Shared with the AWS clients' middleware, which reports throttling to it. */
  backoff?: AwsBackoff;
  /** Told of each answer; makes the service forget answers whose Gateways changed. */
  liveStatus?: LiveStatus;
  now?: () => number;
}

type Answer = { response: EntityGatewaysResponse; outcome: StatusOutcome };

/** A caller who sent their own Kubernetes tokens: their answers are theirs alone. */
interface UserViewer {
  caller: string;
  kubernetesCredentials: UserKubernetesCredentials;
}

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));

/**
 * Authorizes every request for its caller, then answers from the status
 * cache or reads once for all concurrent callers of one entity (the in-flight
 * map coalesces within this process, the shared cache across processes).
 *
 * Every request has a deadline. A read that misses it goes on in the
 * background while the caller gets the last known answer, marked stale with
 * its age and the reason; so does a read that could not reach a cluster or
 * AWS. `refresh=true` is honoured within the refresh budget.
 */
export class DefaultGatewayStatusService implements GatewayStatusService {
  private readonly cache: StatusCache;
  private readonly access: EntityAccess;
  private readonly reads: SharedReads;
  private readonly budget: RefreshBudget;
  private readonly backoff: AwsBackoff;
  private readonly metrics: StatusMetrics;
  private readonly log: RateLimitedLog;
  private readonly now: () => number;
  private readonly settings: StatusSettings;

  static create(
    options: DefaultGatewayStatusServiceOptions,
  ): DefaultGatewayStatusService {
    return new DefaultGatewayStatusService(options);
  }

  private constructor(options: DefaultGatewayStatusServiceOptions) {
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
    this.metrics = options.metrics ?? noStatusMetrics;
    this.log = new RateLimitedLog(options.logger, 60_000, this.now);
    this.backoff = options.backoff ?? new AwsBackoff(this.metrics, this.now);
    this.cache = new StatusCache({
      cache: options.cache,
      metrics: this.metrics,
      log: this.log,
      timeoutMs: this.settings.cacheTimeoutMs,
      retentionMs: this.settings.cacheTtlMs + this.settings.staleMaxAgeMs,
      freshMs: this.settings.cacheTtlMs,
      now: this.now,
    });
    this.access = new EntityAccess({
      catalog: options.catalog,
      permissions: options.permissions,
      auth: options.auth,
      log: this.log,
      metrics: this.metrics,
    });
    this.reads = new SharedReads({
      source: options.source,
      limitMs: Math.max(30_000, 2 * this.settings.kubernetesTimeoutMs),
      now: this.now,
      onRead: (key, read, entity) => {
        if (this.settings.cacheTtlMs > 0) {
          this.cache.record(key, read, this.degradedReason(read));
        }
        options.liveStatus?.answered(key, read, entity);
      },
    });
    options.liveStatus?.onStale(key => this.cache.forget(key));
    this.budget = new RefreshBudget({
      cache: this.cache,
      backoff: this.backoff,
      metrics: this.metrics,
      minIntervalMs: this.settings.refresh.minIntervalMs,
      perUserPerMinute: this.settings.refresh.perUserPerMinute,
      now: this.now,
    });
  }

  async getEntityGateways(
    request: GetEntityGatewaysRequest,
    {
      credentials,
      kubernetesCredentials,
    }: {
      credentials: BackstageCredentials;
      kubernetesCredentials?: UserKubernetesCredentials;
    },
  ): Promise<EntityGatewaysResponse> {
    const started = this.now();
    const deadline = new Deadline(this.settings.requestDeadlineMs, this.now);
    let outcome: StatusOutcome = 'error';
    try {
      const entityRef = stringifyEntityRef(
        typeof request.entityRef === 'string'
          ? parseEntityRef(request.entityRef)
          : request.entityRef,
      );
      const entity = await this.access.authorizedEntity(
        entityRef,
        credentials,
        deadline,
      );
      const viewer =
        kubernetesCredentials && !kubernetesCredentials.isEmpty
          ? { caller: callerOf(credentials), kubernetesCredentials }
          : undefined;
      const answer = await this.answer(
        entityRef,
        entity,
        request.refresh ? callerOf(credentials) : undefined,
        deadline,
        viewer,
      );
      outcome = answer.outcome;
      return answer.response;
    } finally {
      this.metrics.requestDuration(this.now() - started, outcome);
    }
  }

  private async answer(
    entityRef: string,
    entity: Entity,
    refreshFor: string | undefined,
    deadline: Deadline,
    viewer?: UserViewer,
  ): Promise<Answer> {
    const shared = statusCacheKey(entityRef, entity);
    const key = viewer
      ? userStatusCacheKey(
          shared,
          viewer.caller,
          viewer.kubernetesCredentials.providers(),
        )
      : shared;
    const credentials = viewer?.kubernetesCredentials;
    if (this.settings.cacheTtlMs <= 0) {
      return this.read(
        key,
        entity,
        entityRef,
        deadline,
        undefined,
        credentials,
        Boolean(refreshFor),
      );
    }
    let refreshDeclined: string | undefined;
    if (refreshFor) {
      const decision = await this.budget.request(entityRef, refreshFor);
      if (!decision.granted) refreshDeclined = decision.reason;
    }
    const answer = await this.cachedOrRead(
      key,
      entity,
      entityRef,
      deadline,
      Boolean(refreshFor) && !refreshDeclined,
      credentials,
    );
    // Whatever the answer came from, a declined refresh says so.
    return refreshDeclined
      ? { ...answer, response: { ...answer.response, refreshDeclined } }
      : answer;
  }

  /** A cached answer while fresh (unless refreshing), else a read. */
  private async cachedOrRead(
    key: string,
    entity: Entity,
    entityRef: string,
    deadline: Deadline,
    refreshing: boolean,
    kubernetesCredentials?: UserKubernetesCredentials,
  ): Promise<Answer> {
    const known = await this.cache.read(key);
    const now = this.now();
    if (
      known &&
      !refreshing &&
      ageMs(known.latest, now) <= this.settings.cacheTtlMs
    ) {
      const good =
        known.lastGood &&
        servable(known.lastGood, now, this.settings.staleMaxAgeMs);
      if (known.degradedReason && good) {
        return this.stale(good, known.degradedReason, 'unreachable');
      }
      return { response: known.latest, outcome: 'cached' };
    }
    const backoffMs = this.backoff.remainingMs();
    const lastKnown =
      known && lastKnownAnswer(known, now, this.settings.staleMaxAgeMs);
    if (lastKnown && backoffMs > 0 && !refreshing) {
      return this.stale(
        lastKnown,
        `AWS is throttling reads; the next read is in ${seconds(backoffMs)} s`,
        'backoff',
      );
    }
    return this.read(
      key,
      entity,
      entityRef,
      deadline,
      lastKnown,
      kubernetesCredentials,
      refreshing,
    );
  }

  /** A fresh read within the deadline, else the last known answer. */
  private async read(
    key: string,
    entity: Entity,
    entityRef: string,
    deadline: Deadline,
    lastKnown: EntityGatewaysResponse | undefined,
    kubernetesCredentials?: UserKubernetesCredentials,
    refresh = false,
  ): Promise<Answer> {
    let fresh: EntityGatewaysResponse | typeof TIMED_OUT;
    try {
      fresh = await deadline.within(
        this.reads.read(
          key,
          entity,
          entityRef,
          kubernetesCredentials,
          refresh,
          deadline,
        ),
      );
    } catch (e) {
      this.log.error(
        'collection-failed',
        `Gateway status of ${entityRef} could not be read: ${describeFailure(
          e,
        )}`,
      );
      if (lastKnown)
        return this.stale(lastKnown, 'The status could not be read', 'failed');
      throw new ServiceUnavailableError(
        'The gateway status could not be read; try again shortly',
      );
    }
    if (fresh === TIMED_OUT) {
      this.metrics.deadlineExpired('collection');
      const late = `Kubernetes or AWS did not answer within ${seconds(
        deadline.totalMs,
      )} s; a new read goes on in the background`;
      if (lastKnown) return this.stale(lastKnown, late, 'deadline');
      throw new ServiceUnavailableError(
        `The gateway status could not be read within ${seconds(
          deadline.totalMs,
        )} s; try again shortly`,
      );
    }
    const degraded = this.degradedReason(fresh);
    if (degraded && lastKnown && !this.degradedReason(lastKnown)) {
      return this.stale(lastKnown, degraded, 'unreachable');
    }
    return { response: fresh, outcome: 'fresh' };
  }

  private degradedReason(response: EntityGatewaysResponse): string | undefined {
    return degradedReason(response, this.backoff.remainingMs() > 0);
  }

  private stale(
    response: EntityGatewaysResponse,
    reason: string,
    why: StaleReason,
  ): Answer {
    this.metrics.staleServed(why);
    const ageSeconds = Math.round(ageMs(response, this.now()) / 1000);
    return {
      response: { ...response, stale: { ageSeconds, reason } },
      outcome: 'stale',
    };
  }
}
