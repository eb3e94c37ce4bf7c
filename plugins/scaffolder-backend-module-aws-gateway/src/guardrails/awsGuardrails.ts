import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { PolicyDocument } from '@gateway-portal/plugin-aws-gateway-node';
import {
  checkAttachablePolicyArn,
  checkIamName,
  checkIamPath,
  checkPermissionsBoundary,
  checkPolicyDocument,
  checkTags,
} from './iamRules';
import { checkServiceAccount } from './podIdentityRules';
import {
  ACCOUNT_ID,
  CONFIG_ROOT,
  CONTROLLER_RELEASE_TAG,
  invalid,
  notAllowed,
  parseIamArn,
  REGION,
} from './refusals';
import {
  AwsAllowance,
  AwsProvisioningSettings,
  readAwsProvisioningSettings,
  validateAwsProvisioningSettings,
} from './settings';

/**
 * Server-side guardrails of the AWS provisioning actions, read once from
 * `awsGateway.provisioning`. Every check runs before any AWS call; a refusal
 * is an InputError (malformed value) or a NotAllowedError (well formed but
 * outside what configuration allows), both naming the input field and the
 * rule. Anything not listed in configuration is refused.
 */

// EKS: 1-100 characters, starting with a letter or digit.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * Guardrails for the AWS provisioning actions.
 *
 * @public
 */
export class AwsGuardrails {
  static fromConfig(config: Config): AwsGuardrails {
    return new AwsGuardrails(readAwsProvisioningSettings(config));
  }

  readonly settings: AwsProvisioningSettings;

  constructor(settings: AwsProvisioningSettings) {
    validateAwsProvisioningSettings(settings);
    this.settings = settings;
  }

  accountId(field: string, value: string): string {
    if (!ACCOUNT_ID.test(value)) {
      throw invalid(field, value, 'must be a 12-digit AWS account id');
    }
    if (!this.settings.allowedAccountIds.includes(value)) {
      throw notAllowed(field, value, 'allowedAccountIds');
    }
    return value;
  }

  region(field: string, value: string): string {
    if (!REGION.test(value)) {
      throw invalid(field, value, 'must be an AWS region name like eu-west-1');
    }
    if (!this.settings.allowedRegions.includes(value)) {
      throw notAllowed(field, value, 'allowedRegions');
    }
    return value;
  }

  cluster(field: string, value: string): string {
    if (!CLUSTER_NAME.test(value)) {
      throw invalid(
        field,
        value,
        'must be an EKS cluster name (1-100 letters, digits, - or _, starting with a letter or digit)',
      );
    }
    if (!this.settings.allowedClusters.includes(value)) {
      throw notAllowed(field, value, 'allowedClusters');
    }
    return value;
  }

  roleName(field: string, value: string): string {
    const { roleNamePrefix } = this.settings.iam;
    return checkIamName(field, value, 64, roleNamePrefix, 'roleNamePrefix');
  }

  policyName(field: string, value: string): string {
    const { policyNamePrefix } = this.settings.iam;
    return checkIamName(
      field,
      value,
      128,
      policyNamePrefix,
      'policyNamePrefix',
    );
  }

  /** An IAM path at or under the configured one; the configured path when absent. */
  iamPath(field: string, value?: string): string {
    return checkIamPath(field, value, this.settings.iam.path);
  }

  /**
   * A managed policy that may be attached to a role: listed in
   * iam.allowedPolicyArns, or a customer policy of an allowed account under
   * the configured path with the policy name prefix.
   */
  attachablePolicyArn(field: string, value: string): string {
    return checkAttachablePolicyArn(field, value, this.settings);
  }

  /**
   * A role an association may use: a role of `accountId` (the cluster's
   * account) under the configured path, named with the role name prefix.
   */
  associationRoleArn(field: string, value: string, accountId: string): string {
    const arn = parseIamArn(field, value, 'role');
    this.accountId(`${field} (account)`, arn.accountId);
    if (arn.accountId !== accountId) {
      throw invalid(
        field,
        value,
        `must be a role of the cluster's account ${accountId}`,
      );
    }
    this.iamPath(`${field} (path)`, arn.path);
    this.roleName(`${field} (name)`, arn.name);
    return value;
  }

  serviceAccount(
    field: string,
    namespace: string,
    serviceAccount: string,
  ): string {
    const allowed = this.settings.podIdentity.allowedServiceAccounts;
    return checkServiceAccount(field, namespace, serviceAccount, allowed);
  }

  /**
   * The effective value of an allowance: configuration's, unless the input
   * turns it off. An input asking for more than configuration allows is refused.
   */
  allowance(
    field: string,
    input: boolean | undefined,
    setting: AwsAllowance,
  ): boolean {
    const [group, key] = setting.split('.') as [string, string];
    const configured = Boolean((this.settings as any)[group][key]);
    if (input === true && !configured) {
      throw new NotAllowedError(
        `${field}: true is not allowed; it cannot exceed ${CONFIG_ROOT}.${setting}, which is false`,
      );
    }
    return input ?? configured;
  }

  /** Input tags validated, merged with the configured tags (which win). */
  tags(
    field: string,
    input: Record<string, string> | undefined,
  ): Record<string, string> {
    return checkTags(field, input, this.settings.iam);
  }

  /**
   * The permissions boundary every role gets; refused when configuration
   * requires one (permission.enabled) and names none, so no role without a
   * boundary is created by a portal that restricts who may create roles.
   */
  permissionsBoundary(field: string): string | undefined {
    return checkPermissionsBoundary(field, this.settings.iam);
  }

  /** An identity policy without admin-equivalent statements, unless configuration allows them. */
  policyDocument(field: string, document: PolicyDocument): PolicyDocument {
    return checkPolicyDocument(field, document, this.settings.iam);
  }

  /** The URL of the controller's IAM policy for a version tag like v2.17.1. */
  controllerPolicyUrl(field: string, version: string): string {
    if (!CONTROLLER_RELEASE_TAG.test(version)) {
      throw invalid(
        field,
        version,
        'must be a controller release tag matching ^v\\d+\\.\\d+\\.\\d+$ (e.g. v2.17.1)',
      );
    }
    return this.settings.controller.policyUrlTemplate
      .split('{version}')
      .join(version);
  }
}

export type { AwsAllowance, AwsProvisioningSettings } from './settings';
