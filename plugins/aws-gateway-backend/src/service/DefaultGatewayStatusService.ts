import crypto from 'node:crypto';
import {
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
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  awsGatewayStatusReadPermission,
  EntityGatewaysResponse,
} from '@gateway-portal/plugin-aws-gateway-common';
import { selectorFingerprint } from './entityGateways';
import {
  GatewayStatusService,
  GetEntityGatewaysRequest,
} from './GatewayStatusService';

/** What computes an answer; the collector in production. */
export interface EntityGatewaysSource {
  collect(entity: Entity, entityRef: string): Promise<EntityGatewaysResponse>;
}

export interface DefaultGatewayStatusServiceOptions {
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  permissions: Pick<PermissionsService, 'authorize'>;
  cache: CacheService;
  logger: LoggerService;
  source: EntityGatewaysSource;
  /** 0 disables caching; concurrent identical requests are coalesced anyway. */
  cacheTtlMs: number;
}

const CACHE_VERSION = 'v1';

/**
 * Authorizes every request for its caller, then answers from a short-lived
 * cache (coreServices.cache: memory, or Redis/Valkey shared by replicas) or
 * computes once for all concurrent callers of one entity: the in-flight map
 * coalesces within this process, the shared cache across processes.
 */
export class DefaultGatewayStatusService implements GatewayStatusService {
  private readonly inFlight = new Map<
    string,
    Promise<EntityGatewaysResponse>
  >();

  static create(
    options: DefaultGatewayStatusServiceOptions,
  ): DefaultGatewayStatusService {
    return new DefaultGatewayStatusService(options);
  }

  private constructor(
    private readonly options: DefaultGatewayStatusServiceOptions,
  ) {}

  async getEntityGateways(
    request: GetEntityGatewaysRequest,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<EntityGatewaysResponse> {
    const entityRef = stringifyEntityRef(
      typeof request.entityRef === 'string'
        ? parseEntityRef(request.entityRef)
        : request.entityRef,
    );
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found`);
    }
    const [decision] = await this.options.permissions.authorize(
      [{ permission: awsGatewayStatusReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the gateway status of ${entityRef}`,
      );
    }

    const key = cacheKey(entityRef, entity);
    if (!request.refresh && this.options.cacheTtlMs > 0) {
      const cached = await this.readCache(key);
      if (cached) return cached;
    }
    return this.coalesced(key, entity, entityRef);
  }

  private coalesced(
    key: string,
    entity: Entity,
    entityRef: string,
  ): Promise<EntityGatewaysResponse> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const response = await this.options.source.collect(entity, entityRef);
        await this.writeCache(key, response);
        return response;
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async readCache(
    key: string,
  ): Promise<EntityGatewaysResponse | undefined> {
    try {
      return (await this.options.cache.get(key)) as
        | EntityGatewaysResponse
        | undefined;
    } catch (e) {
      this.options.logger.warn(
        `Gateway status cache read failed: ${(e as Error).message}`,
      );
      return undefined;
    }
  }

  private async writeCache(
    key: string,
    response: EntityGatewaysResponse,
  ): Promise<void> {
    if (this.options.cacheTtlMs <= 0) return;
    try {
      await this.options.cache.set(key, response as any, {
        ttl: this.options.cacheTtlMs,
      });
    } catch (e) {
      this.options.logger.warn(
        `Gateway status cache write failed: ${(e as Error).message}`,
      );
    }
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
