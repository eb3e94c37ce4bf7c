import { NotAllowedError } from '@backstage/errors';
import { MANAGED_TAG_KEY } from '@gateway-portal/plugin-aws-gateway-common';
import {
  adminEquivalentStatements,
  PolicyDocument,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  CONFIG_ROOT,
  IAM_NAME,
  IAM_PATH,
  IAM_PATH_MAX,
  invalid,
  parseIamArn,
  show,
} from './refusals';
import { AwsProvisioningSettings } from './settings';

/** The IAM rules: names and paths, attachable policies, tags, boundary and policy documents. */

type IamSettings = AwsProvisioningSettings['iam'];

export function checkIamName(
  field: string,
  value: string,
  max: number,
  prefix: string,
  setting: 'roleNamePrefix' | 'policyNamePrefix',
): string {
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

export function checkIamPath(
  field: string,
  value: string | undefined,
  base: string,
): string {
  if (value === undefined) return base;
  if (!IAM_PATH.test(value) || value.length > IAM_PATH_MAX) {
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
 * An iam.allowedPolicyArns entry allows an ARN equal to it or, when it ends in
 * `*`, an ARN starting with what comes before (settings refuse a `*` anywhere
 * else). A prefix, not a glob: `arn:aws:iam::aws:policy/*` also covers AWS
 * managed policies under paths such as `service-role/`, as documented.
 */
function allowedPolicyArnEntryAllows(entry: string, arn: string): boolean {
  return entry.endsWith('*')
    ? arn.startsWith(entry.slice(0, -1))
    : arn === entry;
}

export function checkAttachablePolicyArn(
  field: string,
  value: string,
  settings: AwsProvisioningSettings,
): string {
  const arn = parseIamArn(field, value, 'policy');
  const { iam } = settings;
  if (iam.allowedPolicyArns.some(p => allowedPolicyArnEntryAllows(p, value))) {
    return value;
  }
  if (
    !settings.allowedAccountIds.includes(arn.accountId) ||
    !arn.path.startsWith(iam.path) ||
    !arn.name.startsWith(iam.policyNamePrefix)
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

export function checkTags(
  field: string,
  input: Record<string, string> | undefined,
  iam: IamSettings,
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
  return { ...(input ?? {}), ...iam.tags };
}

export function checkPermissionsBoundary(
  field: string,
  iam: IamSettings,
): string | undefined {
  const { permissionsBoundaryArn, requirePermissionsBoundary } = iam;
  if (!permissionsBoundaryArn && requirePermissionsBoundary) {
    throw new NotAllowedError(
      `${field}: roles cannot be created or changed without a permissions boundary while permission.enabled is true; ` +
        `configure ${CONFIG_ROOT}.iam.permissionsBoundaryArn [permissions-boundary-required]`,
    );
  }
  return permissionsBoundaryArn;
}

export function checkPolicyDocument(
  field: string,
  document: PolicyDocument,
  iam: IamSettings,
): PolicyDocument {
  const findings = adminEquivalentStatements(document);
  if (findings.length && !iam.allowAdminEquivalentPolicies) {
    throw new NotAllowedError(
      `${field}: the policy is admin-equivalent, which configuration does not allow (${CONFIG_ROOT}.iam.allowAdminEquivalentPolicies):\n${findings
        .map(f => `- ${f.message} [${f.rule}]`)
        .join('\n')}`,
    );
  }
  return document;
}
