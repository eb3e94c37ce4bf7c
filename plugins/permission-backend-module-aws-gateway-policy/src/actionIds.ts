import {
  AWS_GATEWAY_ACTION_IDS,
  wildcardMatcher,
} from '@gateway-portal/plugin-aws-gateway-node';

/** @public */
export const DEFAULT_PRIVILEGED_ACTIONS: readonly string[] = [
  'aws-gateway:iam:*',
  'aws-gateway:eks:*',
  'aws-gateway:controller:*',
];

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
    let matcher: (id: string) => boolean;
    try {
      matcher = wildcardMatcher(trimmed);
    } catch (e) {
      throw new Error(
        `awsGateway.permissions.privilegedActions: ${(e as Error).message}`,
      );
    }
    const matches = knownIds.filter(matcher);
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
