import { InputError } from '@backstage/errors';

/**
 * Reviewer and label names each pull request host accepts, checked before
 * anything is pushed, so that a typo fails the task at once rather than after
 * the branch exists. The hosts' own rules: GitHub user names (1–39 letters,
 * digits and single inner hyphens), GitLab user names (letters, digits, `_`,
 * `.`, `-`, not starting with `-` nor ending in `.git`/`.atom`), Gitea user
 * names (letters, digits, `_`, `.`, `-`, up to 40), Azure DevOps identity ids
 * (a GUID: its API asks for reviewers by id, not by name). Labels (Azure
 * DevOps: tags): 1–50 printable
 * characters without commas (GitLab's API takes labels as a comma-separated
 * list) or control characters.
 */

/** The pull request hosts and their reviewer name rule. */
const REVIEWER_NAME_RULES: Record<
  PullRequestHostType,
  { pattern: RegExp; rule: string }
> = {
  github: {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
    rule: '1–39 letters, digits and single inner hyphens (a GitHub user name)',
  },
  gitlab: {
    pattern: /^(?!.*\.(?:git|atom)$)[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}$/,
    rule: 'letters, digits, "_", "." and "-", not starting with "-" nor ending in ".git" or ".atom" (a GitLab user name)',
  },
  gitea: {
    pattern: /^[A-Za-z0-9_.-]{1,40}$/,
    rule: '1–40 letters, digits, "_", "." and "-" (a Gitea user name)',
  },
  azure: {
    pattern:
      /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    rule: "an identity id, a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301 (Azure DevOps takes reviewers by id; a user's id is in their profile or the Graph API)",
  },
};

/** A host that can open pull requests. @public */
export type PullRequestHostType = 'github' | 'gitlab' | 'gitea' | 'azure';

const MAX_ENTRIES = 20;
// Control characters are named on purpose: a label must not contain them.
// eslint-disable-next-line no-control-regex
const LABEL = /^[^,\u0000-\u001f\u007f]{1,50}$/;

/**
 * Refuses reviewer and label lists the host would refuse, naming the field,
 * the entry and the rule. Returns the lists without duplicates.
 *
 * @public
 */
export function checkPullRequestExtras(
  type: PullRequestHostType,
  extras: { reviewers?: string[]; labels?: string[] },
): { reviewers: string[]; labels: string[] } {
  const checked = (
    field: 'reviewers' | 'labels',
    values: string[] | undefined,
    valid: (value: string) => boolean,
    rule: string,
  ) => {
    const list = values ?? [];
    if (list.length > MAX_ENTRIES)
      throw new InputError(`${field}: at most ${MAX_ENTRIES} entries`);
    list.forEach((value, i) => {
      if (!valid(value)) {
        throw new InputError(
          `${field}[${i}]: ${JSON.stringify(
            value.slice(0, 60),
          )} is not valid: ${rule}`,
        );
      }
    });
    return [...new Set(list)];
  };
  const reviewerRule = REVIEWER_NAME_RULES[type];
  return {
    reviewers: checked(
      'reviewers',
      extras.reviewers,
      v => reviewerRule.pattern.test(v),
      reviewerRule.rule,
    ),
    labels: checked(
      'labels',
      extras.labels,
      v => LABEL.test(v) && v.trim() === v,
      '1–50 characters without commas, control characters or surrounding spaces',
    ),
  };
}
