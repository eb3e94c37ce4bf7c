/**
 * Every scaffolder action id the AWS gateway suite registers
 * (plugins/scaffolder-backend-module-aws-gateway). The scaffolder's
 * HAS_ACTION_ID rule matches exact ids only, so `*` patterns in
 * `awsGateway.permissions.privilegedActions` are expanded against this list;
 * a test keeps it in step with the scaffolder module's sources.
 *
 * @public
 */
export const AWS_GATEWAY_ACTION_IDS: readonly string[] = [
  'aws-gateway:iam:ensure-policy',
  'aws-gateway:iam:ensure-pod-identity-role',
  'aws-gateway:eks:ensure-pod-identity-association',
  'aws-gateway:controller:fetch-iam-policy',
  'aws-gateway:controller:render',
  'aws-gateway:controller:plan',
  'aws-gateway:endpoint:render',
  'aws-gateway:gitops:check',
  'aws-gateway:gitops:commit',
];

/** @public */
export const DEFAULT_PRIVILEGED_ACTIONS: readonly string[] = [
  'aws-gateway:iam:*',
  'aws-gateway:eks:*',
  'aws-gateway:controller:*',
];

function patternRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * Expands action id patterns into exact ids: an id without `*` is kept as is
 * (it may name any action, e.g. `publish:github`); a pattern with `*` becomes
 * the known ids it matches. A pattern matching none is a configuration error,
 * never a silently unenforced rule.
 *
 * @public
 */
export function expandActionPatterns(
  patterns: readonly string[],
  knownIds: readonly string[] = AWS_GATEWAY_ACTION_IDS,
): string[] {
  const ids = new Set<string>();
  for (const pattern of patterns) {
    const trimmed = pattern.trim();
    if (!trimmed) {
      throw new Error(
        'awsGateway.permissions.privilegedActions: empty action id',
      );
    }
    if (!trimmed.includes('*')) {
      ids.add(trimmed);
      continue;
    }
    const re = patternRegExp(trimmed);
    const matches = knownIds.filter(id => re.test(id));
    if (matches.length === 0) {
      throw new Error(
        `awsGateway.permissions.privilegedActions: "${trimmed}" matches none of the known action ids ` +
          `(${knownIds.join(
            ', ',
          )}); patterns are expanded against these, list any other action by its exact id`,
      );
    }
    matches.forEach(id => ids.add(id));
  }
  return [...ids].sort();
}
