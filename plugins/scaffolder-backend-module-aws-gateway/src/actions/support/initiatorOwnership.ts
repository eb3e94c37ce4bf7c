import {
  BackstageCredentials,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_ID_ANNOTATION,
  normaliseEntityRef,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  NamespaceGrant,
  namespaceGrantees,
  normaliseOwnerRef,
  readNamespaceGrants,
  readPlatformTeams,
} from '@gateway-portal/plugin-aws-gateway-node';

/** Rule ids in the refusals, so users and tests can tell them apart. */
export const OWNERSHIP_RULES = {
  ownerMismatch: 'endpoint-owner-mismatch',
  namespaceNotOwned: 'endpoint-namespace-not-owned',
  kubernetesIdMismatch: 'endpoint-kubernetes-id-mismatch',
  userRequired: 'endpoint-user-required',
} as const;

/**
 * What an endpoint claims: the component it belongs to and where it goes.
 * @public
 */
export interface EndpointClaim {
  entityRef?: string;
  kubernetesId?: string;
  namespace: string;
  cluster?: string;
}

/**
 * The part of an action context the rule needs.
 * @public
 */
export interface InitiatorContext {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
  logger: Pick<LoggerService, 'warn' | 'info'>;
}

/** @public */
export interface InitiatorOwnershipOptions {
  userInfo: Pick<UserInfoService, 'getUserInfo'>;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  /** Normalised refs; undefined: the rule is not enforced (development profile). */
  platformTeams?: string[];
  namespaceGrants: NamespaceGrant[];
}

/**
 * Who may publish an endpoint for a component (the confused-deputy rule): the
 * portal's GitOps credentials must not expose another team's Service or label
 * a Gateway as another team's component. Platform engineers may expose
 * anything; anyone else only components one of their ownership refs owns, and
 * in a namespace configuration gives to other owners not at all. Read-only
 * (the catalog is read as the user), so it runs before the first write.
 *
 * @public
 */
export class InitiatorOwnership {
  static fromConfig(
    config: Config,
    deps: Pick<InitiatorOwnershipOptions, 'userInfo' | 'catalog'>,
  ): InitiatorOwnership {
    return new InitiatorOwnership({
      ...deps,
      platformTeams: readPlatformTeams(config),
      namespaceGrants: readNamespaceGrants(config),
    });
  }

  constructor(private readonly options: InitiatorOwnershipOptions) {}

  /**
   * Throws InputError (bad or unknown component) or NotAllowedError (the rule
   * and the component named). Returns the canonical component ref, the one the
   * manifests must carry, or the input unchanged when the rule is off.
   */
  async check(
    ctx: InitiatorContext,
    claim: EndpointClaim,
  ): Promise<string | undefined> {
    const { platformTeams, namespaceGrants, userInfo, catalog } = this.options;
    if (platformTeams === undefined) {
      ctx.logger.warn(
        'awsGateway.permissions.platformTeams is not set: the endpoint ownership rule is not enforced, ' +
          'any user may expose any component. Set it outside development.',
      );
      return claim.entityRef;
    }
    const credentials = await ctx.getInitiatorCredentials();
    if (
      (credentials.principal as { type?: string } | undefined)?.type !== 'user'
    ) {
      throw new NotAllowedError(
        `Only a signed-in user may expose an endpoint: the ownership rule needs the user's groups [${OWNERSHIP_RULES.userRequired}]`,
      );
    }
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    const mine = new Set(
      ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    const isPlatformEngineer = platformTeams.some(team => mine.has(team));

    if (!claim.entityRef) {
      if (isPlatformEngineer) return undefined;
      throw new InputError(
        'entityRef is required: only platform engineers may render an endpoint that belongs to no component',
      );
    }
    const componentRef = parseComponentRef(claim.entityRef);
    const entity = await catalog.getEntityByRef(componentRef, { credentials });
    if (!entity) {
      throw new InputError(
        `entityRef: ${componentRef} was not found in the catalog`,
      );
    }
    checkKubernetesId(entity, componentRef, claim.kubernetesId);
    if (isPlatformEngineer) {
      ctx.logger.info(
        `Ownership rule: platform engineer exposing ${componentRef}`,
      );
      return componentRef;
    }

    const owner = componentOwner(entity, componentRef);
    if (!mine.has(owner)) {
      throw new NotAllowedError(
        `${componentRef} is owned by ${owner}; you may expose only components your groups own [${OWNERSHIP_RULES.ownerMismatch}]`,
      );
    }
    const grantees = namespaceGrantees(
      namespaceGrants,
      claim.namespace,
      claim.cluster,
    );
    if (grantees && !grantees.includes(owner)) {
      throw new NotAllowedError(
        `namespace ${claim.namespace} belongs to ${grantees.join(
          ', ',
        )} (awsGateway.status.namespaceOwners), ` +
          `not to ${owner}, the owner of ${componentRef} [${OWNERSHIP_RULES.namespaceNotOwned}]`,
      );
    }
    return componentRef;
  }
}

function parseComponentRef(ref: string): string {
  try {
    return normaliseEntityRef(ref.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(
      `entityRef: "${ref}" is not an entity ref (${(e as Error).message})`,
    );
  }
}

/** The entity's spec.owner, parsed as the catalog does; an entity without one is nobody's. */
function componentOwner(entity: Entity, componentRef: string): string {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner.trim()) {
    throw new NotAllowedError(
      `${componentRef} has no owner; you may expose only components your groups own [${OWNERSHIP_RULES.ownerMismatch}]`,
    );
  }
  try {
    return normaliseOwnerRef(owner, 'spec.owner');
  } catch {
    throw new NotAllowedError(
      `${componentRef} has a malformed spec.owner; you may expose only components your groups own [${OWNERSHIP_RULES.ownerMismatch}]`,
    );
  }
}

/** The kubernetes-id label links manifests to an entity's page: only the entity's own id may be written. */
function checkKubernetesId(
  entity: Entity,
  componentRef: string,
  kubernetesId?: string,
) {
  if (kubernetesId === undefined || kubernetesId === '') return;
  const own = entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION];
  if (own !== kubernetesId) {
    throw new NotAllowedError(
      `kubernetesId "${kubernetesId}" is not the ${KUBERNETES_ID_ANNOTATION} of ${componentRef}; ` +
        `manifests may carry only their component's own id [${OWNERSHIP_RULES.kubernetesIdMismatch}]`,
    );
  }
}
