import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { MANAGED_TAG_KEY } from '@gateway-portal/plugin-aws-gateway-common';
import {
  adminEquivalentStatements,
  parseArn,
  PolicyDocument,
} from '@gateway-portal/plugin-aws-gateway-node';

/**
 * Server-side guardrails of the AWS provisioning actions, read once from
 * `awsGateway.provisioning`. Every check runs before any AWS call; a refusal
 * is an InputError (malformed value) or a NotAllowedError (well formed but
 * outside what configuration allows), both naming the input field and the
 * rule. Anything not listed in configuration is refused.
 */

const CONFIG_ROOT = 'awsGateway.provisioning';

/** Defaults that configuration may override. @public */
export const AWS_GUARDRAIL_DEFAULTS = {
  iamPath: '/backstage/',
  roleNamePrefix: 'backstage-',
  policyNamePrefix: 'backstage-',
  serviceAccounts: ['kube-system/aws-load-balancer-controller'],
  policyUrlTemplate:
    'https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/{version}/docs/install/iam_policy.json',
};

/** The settings, with defaults applied. @public */
export interface AwsProvisioningSettings {
  allowedAccountIds: string[];
  allowedRegions: string[];
  allowedClusters: string[];
  iam: {
    path: string;
    roleNamePrefix: string;
    policyNamePrefix: string;
    permissionsBoundaryArn?: string;
    allowedPolicyArns: string[];
    tags: Record<string, string>;
    allowAdoptingExistingRoles: boolean;
    allowUpdatingUnmanagedPolicies: boolean;
    /** Policy documents with admin-equivalent statements are refused unless true. */
    allowAdminEquivalentPolicies: boolean;
    /**
     * Every role must get a permissions boundary: true when Backstage
     * permissions are enabled (`permission.enabled`), i.e. when who may run
     * the IAM actions is restricted at all.
     */
    requirePermissionsBoundary: boolean;
  };
  podIdentity: {
    allowReplacingAssociationRole: boolean;
    allowedServiceAccounts: string[];
  };
  controller: { policyUrlTemplate: string };
}

/** Settings whose value an input may narrow (true → false) but never widen. @public */
export type AwsAllowance =
  | 'iam.allowAdoptingExistingRoles'
  | 'iam.allowUpdatingUnmanagedPolicies'
  | 'podIdentity.allowReplacingAssociationRole';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// EKS: 1-100 characters, starting with a letter or digit.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const IAM_NAME = /^[\w+=,.@-]+$/;
// IAM: "/" or "/" + printable ASCII without spaces + "/", at most 512 characters.
const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const K8S_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const CONTROLLER_VERSION = /^v\d+\.\d+\.\d+$/;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

function invalid(field: string, value: unknown, rule: string): InputError {
  return new InputError(`${field}: ${show(value)} ${rule}`);
}

function notAllowed(
  field: string,
  value: unknown,
  setting: string,
): NotAllowedError {
  return new NotAllowedError(
    `${field}: ${show(
      value,
    )} is not allowed; it must be listed in ${CONFIG_ROOT}.${setting}`,
  );
}

function matchesPattern(value: string, pattern: string): boolean {
  return pattern.endsWith('*')
    ? value.startsWith(pattern.slice(0, -1))
    : value === pattern;
}

/** Splits a role or policy ARN's resource into path and name. */
function iamResource(resource: string, type: 'role' | 'policy') {
  if (!resource.startsWith(`${type}/`)) return undefined;
  const rest = resource.slice(type.length);
  const slash = rest.lastIndexOf('/');
  const path = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  if (!IAM_PATH.test(path) || !IAM_NAME.test(name)) return undefined;
  return { path, name };
}

function readSettings(config: Config): AwsProvisioningSettings {
  const c = config.getOptionalConfig(CONFIG_ROOT);
  const iam = c?.getOptionalConfig('iam');
  const pod = c?.getOptionalConfig('podIdentity');
  // Read raw: tag keys may contain "." and "/", which config paths cannot.
  const rawTags = iam?.getOptional<Record<string, unknown>>('tags') ?? {};
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawTags)) {
    if (typeof value !== 'string') {
      throw new Error(
        `Invalid configuration: ${CONFIG_ROOT}.iam.tags values must be strings`,
      );
    }
    tags[key] = value;
  }
  return {
    allowedAccountIds: c?.getOptionalStringArray('allowedAccountIds') ?? [],
    allowedRegions: c?.getOptionalStringArray('allowedRegions') ?? [],
    allowedClusters: c?.getOptionalStringArray('allowedClusters') ?? [],
    iam: {
      path: iam?.getOptionalString('path') ?? AWS_GUARDRAIL_DEFAULTS.iamPath,
      roleNamePrefix:
        iam?.getOptionalString('roleNamePrefix') ??
        AWS_GUARDRAIL_DEFAULTS.roleNamePrefix,
      policyNamePrefix:
        iam?.getOptionalString('policyNamePrefix') ??
        AWS_GUARDRAIL_DEFAULTS.policyNamePrefix,
      permissionsBoundaryArn: iam?.getOptionalString('permissionsBoundaryArn'),
      allowedPolicyArns: iam?.getOptionalStringArray('allowedPolicyArns') ?? [],
      tags,
      allowAdoptingExistingRoles:
        iam?.getOptionalBoolean('allowAdoptingExistingRoles') ?? false,
      allowUpdatingUnmanagedPolicies:
        iam?.getOptionalBoolean('allowUpdatingUnmanagedPolicies') ?? false,
      allowAdminEquivalentPolicies:
        iam?.getOptionalBoolean('allowAdminEquivalentPolicies') ?? false,
      requirePermissionsBoundary:
        config.getOptionalBoolean('permission.enabled') ?? false,
    },
    podIdentity: {
      allowReplacingAssociationRole:
        pod?.getOptionalBoolean('allowReplacingAssociationRole') ?? false,
      allowedServiceAccounts:
        pod?.getOptionalStringArray('allowedServiceAccounts') ??
        AWS_GUARDRAIL_DEFAULTS.serviceAccounts,
    },
    controller: {
      policyUrlTemplate:
        c?.getOptionalString('controller.policyUrlTemplate') ??
        AWS_GUARDRAIL_DEFAULTS.policyUrlTemplate,
    },
  };
}

/** Configuration mistakes fail the backend's start, not a task. */
function validateSettings(s: AwsProvisioningSettings): void {
  const problems: string[] = [];
  const bad = (key: string, rule: string) =>
    problems.push(`${CONFIG_ROOT}.${key} ${rule}`);
  s.allowedAccountIds.forEach((a, i) => {
    if (!ACCOUNT_ID.test(a))
      bad(`allowedAccountIds[${i}]`, 'must be a 12-digit account id');
  });
  s.allowedRegions.forEach((r, i) => {
    if (!REGION.test(r))
      bad(`allowedRegions[${i}]`, 'must be a region name like eu-west-1');
  });
  if (!IAM_PATH.test(s.iam.path) || s.iam.path.length > 512) {
    bad('iam.path', 'must start and end with "/" (e.g. /backstage/)');
  }
  for (const key of ['roleNamePrefix', 'policyNamePrefix'] as const) {
    if (s.iam[key] && !IAM_NAME.test(s.iam[key])) {
      bad(`iam.${key}`, 'may only contain letters, digits and +=,.@_-');
    }
  }
  const boundary = s.iam.permissionsBoundaryArn;
  if (boundary) {
    const arn = parseArn(boundary);
    if (!arn || arn.service !== 'iam' || !iamResource(arn.resource, 'policy')) {
      bad('iam.permissionsBoundaryArn', 'must be an IAM policy ARN');
    }
  }
  if (MANAGED_TAG_KEY in s.iam.tags) {
    bad(`iam.tags.${MANAGED_TAG_KEY}`, 'is reserved for the managed-by tag');
  }
  s.podIdentity.allowedServiceAccounts.forEach((sa, i) => {
    if (!/^[^/]+\/[^/]+$/.test(sa)) {
      bad(
        `podIdentity.allowedServiceAccounts[${i}]`,
        'must be namespace/serviceAccount',
      );
    }
  });
  const template = s.controller.policyUrlTemplate;
  let url: URL | undefined;
  try {
    url = new URL(template.replace('{version}', 'v0.0.0'));
  } catch {
    url = undefined;
  }
  if (
    !template.includes('{version}') ||
    !url ||
    url.username ||
    url.password ||
    !(
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname))
    )
  ) {
    bad(
      'controller.policyUrlTemplate',
      'must be an https URL (http only for loopback) containing {version}, without credentials',
    );
  }
  if (problems.length) {
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Guardrails for the AWS provisioning actions.
 *
 * @public
 */
export class AwsGuardrails {
  static fromConfig(config: Config): AwsGuardrails {
    return new AwsGuardrails(readSettings(config));
  }

  readonly settings: AwsProvisioningSettings;

  constructor(settings: AwsProvisioningSettings) {
    validateSettings(settings);
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

  private iamName(
    field: string,
    value: string,
    max: number,
    prefix: string,
    setting: string,
  ) {
    if (!IAM_NAME.test(value) || value.length > max) {
      throw invalid(
        field,
        value,
        `must be 1-${max} characters of letters, digits and +=,.@_-`,
      );
    }
    if (!value.startsWith(prefix)) {
      throw new NotAllowedError(
        `${field}: ${show(
          value,
        )} must start with "${prefix}" (${CONFIG_ROOT}.iam.${setting})`,
      );
    }
    return value;
  }

  roleName(field: string, value: string): string {
    return this.iamName(
      field,
      value,
      64,
      this.settings.iam.roleNamePrefix,
      'roleNamePrefix',
    );
  }

  policyName(field: string, value: string): string {
    return this.iamName(
      field,
      value,
      128,
      this.settings.iam.policyNamePrefix,
      'policyNamePrefix',
    );
  }

  /** An IAM path at or under the configured one; the configured path when absent. */
  iamPath(field: string, value?: string): string {
    const base = this.settings.iam.path;
    if (value === undefined) return base;
    if (!IAM_PATH.test(value) || value.length > 512) {
      throw invalid(
        field,
        value,
        'must be an IAM path starting and ending with "/"',
      );
    }
    if (!value.startsWith(base)) {
      throw new NotAllowedError(
        `${field}: ${show(
          value,
        )} must be at or under "${base}" (${CONFIG_ROOT}.iam.path)`,
      );
    }
    return value;
  }

  /**
   * A managed policy that may be attached to a role: listed in
   * iam.allowedPolicyArns, or a customer policy of an allowed account under
   * the configured path with the policy name prefix.
   */
  attachablePolicyArn(field: string, value: string): string {
    const arn = parseArn(value);
    const resource =
      arn && arn.service === 'iam'
        ? iamResource(arn.resource, 'policy')
        : undefined;
    if (!arn || !resource || arn.region !== '') {
      throw invalid(
        field,
        value,
        'must be an IAM policy ARN (arn:aws:iam::<account>:policy/<path><name>)',
      );
    }
    if (
      this.settings.iam.allowedPolicyArns.some(p => matchesPattern(value, p))
    ) {
      return value;
    }
    const { iam } = this.settings;
    if (
      !this.settings.allowedAccountIds.includes(arn.accountId) ||
      !resource.path.startsWith(iam.path) ||
      !resource.name.startsWith(iam.policyNamePrefix)
    ) {
      throw new NotAllowedError(
        `${field}: ${show(
          value,
        )} is not allowed; a policy must be listed in ${CONFIG_ROOT}.iam.allowedPolicyArns ` +
          `or belong to an allowed account (${CONFIG_ROOT}.allowedAccountIds) under path "${iam.path}" ` +
          `with a name starting with "${iam.policyNamePrefix}"`,
      );
    }
    return value;
  }

  /**
   * A role an association may use: a role of `accountId` (the cluster's
   * account) under the configured path, named with the role name prefix.
   */
  associationRoleArn(field: string, value: string, accountId: string): string {
    const arn = parseArn(value);
    const resource =
      arn && arn.service === 'iam'
        ? iamResource(arn.resource, 'role')
        : undefined;
    if (!arn || !resource || arn.region !== '') {
      throw invalid(
        field,
        value,
        'must be an IAM role ARN (arn:aws:iam::<account>:role/<path><name>)',
      );
    }
    this.accountId(`${field} (account)`, arn.accountId);
    if (arn.accountId !== accountId) {
      throw invalid(
        field,
        value,
        `must be a role of the cluster's account ${accountId}`,
      );
    }
    this.iamPath(`${field} (path)`, resource.path);
    this.roleName(`${field} (name)`, resource.name);
    return value;
  }

  serviceAccount(
    field: string,
    namespace: string,
    serviceAccount: string,
  ): string {
    if (!K8S_NAME.test(namespace) || namespace.length > 63) {
      throw invalid(
        `${field} (namespace)`,
        namespace,
        'must be a Kubernetes namespace name',
      );
    }
    if (!K8S_SUBDOMAIN.test(serviceAccount) || serviceAccount.length > 253) {
      throw invalid(
        `${field} (serviceAccount)`,
        serviceAccount,
        'must be a Kubernetes service account name',
      );
    }
    const pair = `${namespace}/${serviceAccount}`;
    if (!this.settings.podIdentity.allowedServiceAccounts.includes(pair)) {
      throw notAllowed(field, pair, 'podIdentity.allowedServiceAccounts');
    }
    return pair;
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
    for (const [key, value] of Object.entries(input ?? {})) {
      if (
        key.length < 1 ||
        key.length > 128 ||
        value.length > 256 ||
        /^aws:/i.test(key) ||
        !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(`${key}${value}`)
      ) {
        throw invalid(
          `${field}.${key}`,
          value,
          'is not a valid IAM tag (key 1-128, value 0-256 characters, no aws: prefix)',
        );
      }
      if (key === MANAGED_TAG_KEY) {
        throw invalid(
          `${field}.${key}`,
          value,
          'is reserved for the managed-by tag',
        );
      }
    }
    return { ...(input ?? {}), ...this.settings.iam.tags };
  }

  /**
   * The permissions boundary every role gets; refused when configuration
   * requires one (permission.enabled) and names none, so no role without a
   * boundary is created by a portal that restricts who may create roles.
   */
  permissionsBoundary(field: string): string | undefined {
    const { permissionsBoundaryArn, requirePermissionsBoundary } =
      this.settings.iam;
    if (!permissionsBoundaryArn && requirePermissionsBoundary) {
      throw new NotAllowedError(
        `${field}: roles cannot be created or changed without a permissions boundary while permission.enabled is true; ` +
          `configure ${CONFIG_ROOT}.iam.permissionsBoundaryArn [permissions-boundary-required]`,
      );
    }
    return permissionsBoundaryArn;
  }

  /** An identity policy without admin-equivalent statements, unless configuration allows them. */
  policyDocument(field: string, document: PolicyDocument): PolicyDocument {
    const findings = adminEquivalentStatements(document);
    if (findings.length && !this.settings.iam.allowAdminEquivalentPolicies) {
      throw new NotAllowedError(
        `${field}: the policy is admin-equivalent, which configuration does not allow (${CONFIG_ROOT}.iam.allowAdminEquivalentPolicies):\n${findings
          .map(f => `- ${f.message} [${f.rule}]`)
          .join('\n')}`,
      );
    }
    return document;
  }

  /** The URL of the controller's IAM policy for a version tag like v2.17.1. */
  controllerPolicyUrl(field: string, version: string): string {
    if (!CONTROLLER_VERSION.test(version)) {
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
