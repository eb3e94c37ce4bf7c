import { Config } from '@backstage/config';
import { MANAGED_TAG_KEY } from '@gateway-portal/plugin-aws-gateway-common';
import {
  ACCOUNT_ID,
  CONFIG_ROOT,
  IAM_NAME,
  IAM_PATH,
  IAM_PATH_MAX,
  parseIamArn,
  REGION,
} from './refusals';

/**
 * `awsGateway.provisioning`, read once at startup with its defaults applied
 * and validated: a configuration mistake fails the backend's start, not a task.
 */

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** The controller's service account: the default subject of a Pod Identity role and association. */
export const CONTROLLER_SERVICE_ACCOUNT = {
  namespace: 'kube-system',
  name: 'aws-load-balancer-controller',
};

/** Defaults that configuration may override. @public */
export const AWS_GUARDRAIL_DEFAULTS = {
  iamPath: '/backstage/',
  roleNamePrefix: 'backstage-',
  policyNamePrefix: 'backstage-',
  serviceAccounts: [
    `${CONTROLLER_SERVICE_ACCOUNT.namespace}/${CONTROLLER_SERVICE_ACCOUNT.name}`,
  ],
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

export function readAwsProvisioningSettings(
  config: Config,
): AwsProvisioningSettings {
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
export function validateAwsProvisioningSettings(
  s: AwsProvisioningSettings,
): void {
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
  if (!IAM_PATH.test(s.iam.path) || s.iam.path.length > IAM_PATH_MAX) {
    bad('iam.path', 'must start and end with "/" (e.g. /backstage/)');
  }
  for (const key of ['roleNamePrefix', 'policyNamePrefix'] as const) {
    if (s.iam[key] && !IAM_NAME.test(s.iam[key])) {
      bad(`iam.${key}`, 'may only contain letters, digits and +=,.@_-');
    }
  }
  s.iam.allowedPolicyArns.forEach((pattern, i) => {
    // Only a trailing * (a prefix): a * elsewhere could span an account or path.
    if (pattern.slice(0, -1).includes('*')) {
      bad(`iam.allowedPolicyArns[${i}]`, 'may contain * only at its end');
    }
  });
  const boundary = s.iam.permissionsBoundaryArn;
  if (boundary) {
    try {
      parseIamArn('iam.permissionsBoundaryArn', boundary, 'policy');
    } catch {
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
