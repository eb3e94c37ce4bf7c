import path from 'node:path';
import { InputError } from '@backstage/errors';
import { GitOpsBranchPlan, GitOpsRemoteInfo } from './types';

/** Branch names, where a commit starts, and repository paths: the rules, no git. */

/** Refuses a name git would refuse as a branch, naming the input field. @public */
export function assertBranchName(field: string, name: string): void {
  if (!isValidBranchName(name)) {
    throw new InputError(
      `${field}: "${name}" is not a valid git branch name (letters, digits, ".", "_", "-" and "/"; no "..", "//", leading "-" or "/", trailing "/" or ".lock")`,
    );
  }
}

/**
 * Where a commit to `branch` would start on this remote: the branch when it
 * exists, otherwise `baseBranch` (default: the repository's default branch),
 * which must exist. The commit action and the read-only check share this rule.
 *
 * @public
 */
export function planBranch(
  remote: Pick<GitOpsRemoteInfo, 'branches' | 'defaultBranch'>,
  repoUrl: string,
  branch: string,
  baseBranch?: string,
): GitOpsBranchPlan {
  if (Object.prototype.hasOwnProperty.call(remote.branches, branch)) {
    return {
      branchExists: true,
      base: branch,
      baseSha: remote.branches[branch],
    };
  }
  const base = baseBranch ?? remote.defaultBranch;
  if (base && Object.prototype.hasOwnProperty.call(remote.branches, base)) {
    return { branchExists: false, base, baseSha: remote.branches[base] };
  }
  if (baseBranch) {
    throw new InputError(
      `baseBranch: "${baseBranch}" does not exist in ${repoUrl}; branch "${branch}" does not exist either, and a new branch must start from an existing one`,
    );
  }
  throw new InputError(
    `branch: "${branch}" does not exist in ${repoUrl} and the repository has no default branch to start it from; set baseBranch to an existing branch`,
  );
}

/** Normalizes a repository-relative path, refusing escapes and `.git`. */
export function safeRepoPath(filePath: string): string {
  const normalized = path.posix.normalize(filePath.replace(/\\/g, '/'));
  if (
    !normalized ||
    normalized === '.' ||
    normalized.startsWith('/') ||
    normalized.split('/').some(s => s === '..' || s === '.git' || s === '')
  ) {
    throw new InputError(
      `file path "${filePath}" must be relative to the repository root, without ".." or ".git"`,
    );
  }
  return normalized;
}

function isValidBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9._\/-]+$/.test(name) &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !name.includes('..') &&
    !name.includes('//')
  );
}
