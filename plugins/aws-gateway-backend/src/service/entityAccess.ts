/**
 * Who may see an entity's gateway status: the catalog and the permission
 * backend, asked together within the request's deadline.
 */
import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { awsGatewayStatusReadPermission } from '@gateway-portal/plugin-aws-gateway-common';
import { Deadline, TIMED_OUT } from '../deadline';
import { describeFailure } from '../failures';
import { StatusMetrics } from '../metrics';
import { RateLimitedLog } from '../rateLimitedLog';

// What callers see when the catalog or the permission backend fails (the
// database restarting, say); the details go to the log.
const LOOKUP_UNAVAILABLE =
  'The gateway status is unavailable right now: the catalog or the permission service did not answer. Try again shortly.';

export interface EntityAccessOptions {
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  permissions: Pick<PermissionsService, 'authorize'>;
  /**
   * With it, the entity is read with this plugin's own credentials and the
   * caller's right to read it is decided in the same permission call as the
   * status permission: one internal call to each service per request.
   * Without it, the entity is read as the caller.
   */
  auth?: Pick<AuthService, 'getOwnServiceCredentials'>;
  log: RateLimitedLog;
  metrics: StatusMetrics;
}

export class EntityAccess {
  constructor(private readonly options: EntityAccessOptions) {}

  /**
   * The entity, once the catalog and the permission backend both said yes:
   * NotFoundError when the caller may not read it, NotAllowedError when they
   * may not read its gateway status, ServiceUnavailableError when either
   * service fails or misses the deadline.
   */
  async authorizedEntity(
    entityRef: string,
    credentials: BackstageCredentials,
    deadline: Deadline,
  ): Promise<Entity> {
    const { auth, catalog, permissions, log, metrics } = this.options;
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
      log.error(
        'lookup-failed',
        `Gateway status of ${entityRef}: catalog or permission lookup failed: ${describeFailure(
          e,
        )}`,
      );
      throw new ServiceUnavailableError(LOOKUP_UNAVAILABLE);
    }
    if (result === TIMED_OUT) {
      metrics.deadlineExpired('lookup');
      log.warn(
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
}
