import { InputError } from '@backstage/errors';
import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';

/**
 * One error for every rule violation found, so a user fixes them all in one
 * go. Each line names the field and the rule id.
 */
export function manifestIssuesError(
  intro: string,
  issues: ManifestIssue[],
): InputError {
  const lines = issues.map(i => `- ${i.message} [${i.rule}]`);
  return new InputError(`${intro}:\n${lines.join('\n')}`);
}
