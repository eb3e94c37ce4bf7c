import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createScaffolderActionConditionalDecision,
  scaffolderActionConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  templateDryRunPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  AWS_GATEWAY_ACTION_IDS,
  readPlatformTeams,
} from '@gateway-portal/plugin-aws-gateway-node';
import { DEFAULT_PRIVILEGED_ACTIONS, expandActionPatterns } from './actionIds';

/**
 * `awsGateway.permissions`, validated and expanded.
 *
 * @public
 */
export interface AwsGatewayPermissionSettings {
  /**
   * Normalised entity refs of the platform teams; undefined when unset, in
   * which case the policy allows everything.
   */
  platformTeams?: string[];
  /** Exact action ids only platform engineers may execute. */
  privilegedActionIds: string[];
}

/**
 * Reads `awsGateway.permissions`. Throws on a malformed entry, so a broken
 * guardrail fails the backend at startup rather than being ignored.
 *
 * @public
 */
export function readAwsGatewayPermissionSettings(
  config: Config,
  knownActionIds: readonly string[] = AWS_GATEWAY_ACTION_IDS,
): AwsGatewayPermissionSettings {
  const key = 'awsGateway.permissions';
  const patterns =
    config.getOptionalStringArray(`${key}.privilegedActions`) ??
    DEFAULT_PRIVILEGED_ACTIONS;
  return {
    platformTeams: readPlatformTeams(config),
    privilegedActionIds: expandActionPatterns(patterns, knownActionIds),
  };
}

/**
 * The permission policy of the AWS gateway suite.
 *
 * - `scaffolder.action.execute`: platform engineers (members of a configured
 *   platform team) may run every action; anyone else gets a conditional
 *   decision that allows every action except the privileged ones.
 * - `scaffolder.template.dry-run`: platform engineers only. A dry run
 *   executes a template sent in the request body, one the catalog never
 *   accepted, with the backend's integrations (e.g. `fetch:plain` reading
 *   with the SCM credentials and returning the files): only those who may
 *   author templates may run one that is not registered.
 * - Every other permission: allowed. A deployment with its own rules composes
 *   this policy with them (see the package README).
 * - `platformTeams` unset: everything is allowed (development profile).
 *
 * @public
 */
export class AwsGatewayPermissionPolicy implements PermissionPolicy {
  constructor(
    readonly settings: AwsGatewayPermissionSettings,
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
  ) {}

  /** Whether the policy restricts anything (platformTeams is configured). */
  get enforcing(): boolean {
    return this.settings.platformTeams !== undefined;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!this.enforcing) return { result: AuthorizeResult.ALLOW };
    if (isPermission(request.permission, templateDryRunPermission)) {
      return {
        result: (await this.isPlatformEngineer(user))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (!isPermission(request.permission, actionExecutePermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const privileged = this.settings.privilegedActionIds;
    if (privileged.length === 0 || (await this.isPlatformEngineer(user))) {
      return { result: AuthorizeResult.ALLOW };
    }
    const [first, ...rest] = privileged.map(actionId =>
      scaffolderActionConditions.hasActionId({ actionId }),
    );
    return createScaffolderActionConditionalDecision(actionExecutePermission, {
      not: rest.length === 0 ? first : { anyOf: [first, ...rest] },
    });
  }

  /** Members of a platform team; a request without a user (a service) is not one. */
  async isPlatformEngineer(user?: PolicyQueryUser): Promise<boolean> {
    const principal = user?.credentials.principal as
      | { type?: string }
      | undefined;
    if (!user || principal?.type !== 'user') return false;
    const teams = new Set(this.settings.platformTeams ?? []);
    if (teams.size === 0) return false;
    // The user's ownership refs (themselves and their groups), as in
    // `user.info.ownershipEntityRefs`, through the non-deprecated service.
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    return ownershipEntityRefs.some(ref =>
      teams.has(ref.toLocaleLowerCase('en-US')),
    );
  }
}
