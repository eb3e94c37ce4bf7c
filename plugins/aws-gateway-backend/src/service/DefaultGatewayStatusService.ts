import crypto from 'node:crypto';
import {
  AuthService,
  BackstageCredentials,
  CacheService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  awsGatewayStatusReadPermission,
  EntityGatewaysResponse,
} from '@gateway-portal/plugin-aws-gateway-common';
import { StatusConfig } from '../config';
import { Deadline, TIMED_OUT, within } from '../deadline';
import { describeFailure } from '../failures';
import {
  noStatusMetrics,
  StaleReason,
  StatusMetrics,
  StatusOutcome,
} from '../metrics';
import { RateLimitedLog } from '../rateLimitedLog';
import { AwsBackoff } from './awsBackoff';
import { selectorFingerprint } from './entityGateways';
import {
  GatewayStatusService,
  GetEntityGatewaysRequest,
} from './GatewayStatusService';
import { RefreshBudget } from './refreshBudget';
import { degradedReason } from './degraded';
import { ageMs, CachedStatus, StatusCache } from './statusCache';

/** What computes an answer; the collector in production. */
export interface EntityGatewaysSource {
  collect(
    entity: Entity,
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityGatewaysResponse>;
}

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

export interface DefaultGatewayStatusServiceOptions {
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  permissions: Pick<PermissionsService, 'authorize'>;
  /**
   * With it, the entity is read with this plugin's own credentials and the
   * caller's right to read it is decided in the same permission call as the
   * status permission: one internal call to each service per request.
   * Without it, the entity is read as the caller.
   */
  auth?: Pick<AuthService, 'getOwnServiceCredentials'>;
  cache: CacheService;
  logger: LoggerService;
  source: EntityGatewaysSource;
  settings: StatusSettings;
  metrics?: StatusMetrics;
  /** Shared with the AWS clients' middleware, which reports throttling to it. */
  backoff?: AwsBackoff;
  now?: () => number;
}

const CACHE_VERSION = 'v2';
// What callers see when the catalog or the permission backend fails (the
// database restarting, say); the details go to the log.
const LOOKUP_UNAVAILABLE =
  'The gateway status is unavailable right now: the catalog or the permission service did not answer. Try again shortly.';

type Answer = { response: EntityGatewaysResponse; outcome: StatusOutcome };

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));

/** Who a refresh counts against. */
function callerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal?.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  return `${principal?.type ?? 'none'}:${principal?.subject ?? ''}`;
}

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
  private readonly inFlight = new Map<
    string,
    Promise<EntityGatewaysResponse>
  >();
  private readonly cache: StatusCache;
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

  private constructor(
    private readonly options: DefaultGatewayStatusServiceOptions,
  ) {
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
    { credentials }: { credentials: BackstageCredentials },
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
      const entity = await this.authorizedEntity(
        entityRef,
        credentials,
        deadline,
      );
      const answer = await this.answer(
        entityRef,
        entity,
        request.refresh ? callerOf(credentials) : undefined,
        deadline,
      );
      outcome = answer.outcome;
      return answer.response;
    } finally {
      this.metrics.requestDuration(this.now() - started, outcome);
    }
  }

  /** The entity, once the catalog and the permission backend both said yes. */
  private async authorizedEntity(
    entityRef: string,
    credentials: BackstageCredentials,
    deadline: Deadline,
  ): Promise<Entity> {
    const { auth, catalog, permissions } = this.options;
    const checks = [
      ...(auth
        ? [{ permission: catalogEntityReadPermission, resourceRef: entityRef }]
        : []),
      { permission: awsGatewayStatusReadPermission, resourceRef: entityRef },
    ];
    const lookups = Promise.all([
      (async () =>
        catalog.getEntityByRef(entityRef, {
          credentials: auth
            ? await auth.getOwnServiceCredentials()
            : credentials,
        }))(),
      permissions.authorize(checks, { credentials }),
    ]);
    let result: Awaited<typeof lookups> | typeof TIMED_OUT;
    try {
      result = await deadline.within(lookups);
    } catch (e) {
      this.log.error(
        'lookup-failed',
        `Gateway status of ${entityRef}: catalog or permission lookup failed: ${describeFailure(
          e,
        )}`,
      );
      throw new ServiceUnavailableError(LOOKUP_UNAVAILABLE);
    }
    if (result === TIMED_OUT) {
      this.metrics.deadlineExpired('lookup');
      this.log.warn(
        'lookup-deadline',
        `Gateway status of ${entityRef}: catalog or permission lookup took longer than ${deadline.totalMs} ms`,
      );
      throw new ServiceUnavailableError(LOOKUP_UNAVAILABLE);
    }
    const [entity, decisions] = result;
    const statusDecision = decisions[decisions.length - 1];
    const mayReadEntity = decisions
      .slice(0, -1)
      .every(d => d.result === AuthorizeResult.ALLOW);
    if (!entity || !mayReadEntity) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }
    if (statusDecision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the gateway status of ${entityRef}`,
      );
    }
    return entity;
  }

  private async answer(
    entityRef: string,
    entity: Entity,
    refreshFor: string | undefined,
    deadline: Deadline,
  ): Promise<Answer> {
    const key = cacheKey(entityRef, entity);
    if (this.settings.cacheTtlMs <= 0) {
      return this.read(key, entity, entityRef, deadline, undefined);
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
  ): Promise<Answer> {
    const known = await this.cache.read(key);
    const now = this.now();
    if (
      known &&
      !refreshing &&
      ageMs(known.latest, now) <= this.settings.cacheTtlMs
    ) {
      const good = known.lastGood && this.servable(known.lastGood, now);
      if (known.degradedReason && good) {
        return this.stale(good, known.degradedReason, 'unreachable');
      }
      return { response: known.latest, outcome: 'cached' };
    }
    const backoffMs = this.backoff.remainingMs();
    const lastKnown = known && this.lastKnown(known, now);
    if (lastKnown && backoffMs > 0 && !refreshing) {
      return this.stale(
        lastKnown,
        `AWS is throttling reads; the next read is in ${seconds(backoffMs)} s`,
        'backoff',
      );
    }
    return this.read(key, entity, entityRef, deadline, lastKnown);
  }

  /** A fresh read within the deadline, else the last known answer. */
  private async read(
    key: string,
    entity: Entity,
    entityRef: string,
    deadline: Deadline,
    lastKnown: EntityGatewaysResponse | undefined,
  ): Promise<Answer> {
    let fresh: EntityGatewaysResponse | typeof TIMED_OUT;
    try {
      fresh = await deadline.within(this.collection(key, entity, entityRef));
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

  /**
   * One read per entity at a time, shared by every caller; it outlives the
   * callers' deadlines (so the next caller finds it done) but not a hard
   * limit, after which it is cancelled.
   */
  private collection(
    key: string,
    entity: Entity,
    entityRef: string,
  ): Promise<EntityGatewaysResponse> {
    let pending = this.inFlight.get(key);
    if (pending) return pending;
    const controller = new AbortController();
    const limitMs = Math.max(30_000, 2 * this.settings.kubernetesTimeoutMs);
    const collected = this.options.source
      .collect(entity, entityRef, { signal: controller.signal })
      .then(response => {
        // fetchedAt is when the data was read: the end of the read.
        const read = {
          ...response,
          fetchedAt: new Date(this.now()).toISOString(),
        };
        if (this.settings.cacheTtlMs > 0) {
          this.cache.record(key, read, this.degradedReason(read));
        }
        return read;
      });
    pending = within(collected, limitMs)
      .then(result => {
        if (result !== TIMED_OUT) return result;
        controller.abort();
        throw new Error(
          `reading took longer than ${limitMs} ms and was cancelled`,
        );
      })
      .finally(() => this.inFlight.delete(key));
    pending.catch(() => undefined);
    this.inFlight.set(key, pending);
    return pending;
  }

  /** The answer to fall back on: the last complete one if the newest is not. */
  private lastKnown(
    known: CachedStatus,
    now: number,
  ): EntityGatewaysResponse | undefined {
    const preferred =
      known.degradedReason && known.lastGood ? known.lastGood : known.latest;
    return this.servable(preferred, now);
  }

  private degradedReason(response: EntityGatewaysResponse): string | undefined {
    return degradedReason(response, this.backoff.remainingMs() > 0);
  }

  private servable(
    response: EntityGatewaysResponse,
    now: number,
  ): EntityGatewaysResponse | undefined {
    return ageMs(response, now) <= this.settings.staleMaxAgeMs
      ? response
      : undefined;
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

/** Keyed by entity ref and the annotations that choose its Gateways. */
function cacheKey(entityRef: string, entity: Entity): string {
  const hash = crypto
    .createHash('sha256')
    .update(selectorFingerprint(entity))
    .digest('hex')
    .slice(0, 16);
  return `entity-gateways:${CACHE_VERSION}:${entityRef}:${hash}`;
}
