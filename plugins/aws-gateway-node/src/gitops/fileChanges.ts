import { createTwoFilesPatch } from 'diff';
import git from 'isomorphic-git';
import { TreeChange } from './objectStore';
import { GitOpsFile } from './types';

/**
 * A unified diff from `before` to `after` (repository files; a path in one
 * only is added or deleted), for a dry run or a task log to show what a
 * commit changes. Empty when nothing changes.
 *
 * @public
 */
export function describeFileChanges(
  before: GitOpsFile[],
  after: GitOpsFile[],
): string {
  const paths = [...new Set([...before, ...after].map(f => f.path))].sort();
  const contentOf = (files: GitOpsFile[], path: string) =>
    files.find(f => f.path === path)?.content;
  return paths
    .map(path => {
      const old = contentOf(before, path);
      const next = contentOf(after, path);
      if (old === next) return '';
      return createTwoFilesPatch(
        old === undefined ? '/dev/null' : `a/${path}`,
        next === undefined ? '/dev/null' : `b/${path}`,
        old ?? '',
        next ?? '',
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, '');
    })
    .filter(Boolean)
    .join('');
}

/**
 * Whether a review branch would change nothing relative to where it left
 * the base (its pull request would show no change) once a commit writes
 * `files` and deletes the `replaces` not among them: every path the branch
 * changes (`changes`, by git object id, from reviewBranchReader) gets its
 * merge base's content back, and no other path is made to differ. Unknown
 * (an incomplete list) is false.
 *
 * @public
 */
export async function reviewAddsNothingAfter(
  changes: { changes: TreeChange[]; complete: boolean },
  commit: { files: GitOpsFile[]; replaces: GitOpsFile[] },
): Promise<boolean> {
  if (!changes.complete) return false;
  const blobId = async (content: string) =>
    (await git.hashBlob({ object: Buffer.from(content, 'utf8') })).oid;
  const changed = new Map(changes.changes.map(c => [c.path, c]));
  const paths = new Set([
    ...changed.keys(),
    ...commit.files.map(f => f.path),
    ...commit.replaces.map(f => f.path),
  ]);
  for (const path of paths) {
    const written = commit.files.find(f => f.path === path);
    const read = commit.replaces.find(f => f.path === path);
    const change = changed.get(path);
    // At the merge base: as the change says, else as the branch has it now (unchanged there).
    const atBase = change ? change.from : read && (await blobId(read.content));
    let after = change?.to;
    if (written) after = await blobId(written.content);
    else if (read) after = undefined;
    if (atBase !== after) return false;
  }
  return true;
}
