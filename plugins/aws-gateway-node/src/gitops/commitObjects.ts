import { ConflictError } from '@backstage/errors';
import git from 'isomorphic-git';
import { safeRepoPath } from './branches';
import { directoryEntries, GitOpsFileStatus, ObjectStore } from './objectStore';
import { GitIdentity, GitOpsFile } from './types';

/** The local half of a GitOps commit: what may be replaced, and the commit object itself. */

/** Files of another render in a folder that belongs to one render only: a conflict, never merged or deleted. */
export async function refuseForeignFiles(
  store: ObjectStore,
  rootTree: string,
  owned: { directory: string; names: RegExp },
  files: GitOpsFile[],
  branch: string,
) {
  const directory = safeRepoPath(owned.directory);
  const ours = new Set(files.map(f => f.path));
  const foreign = (await directoryEntries(store, rootTree, directory))
    .filter(
      e => owned.names.test(e.path) && !ours.has(`${directory}/${e.path}`),
    )
    .map(e => `${directory}/${e.path}`);
  if (foreign.length) {
    throw new ConflictError(
      `${foreign.join(', ')} already exist${
        foreign.length === 1 ? 's' : ''
      } on ${branch} and ${
        foreign.length === 1 ? 'is' : 'are'
      } not part of this render; ${directory} holds one render's files only, so they are neither kept beside it nor removed — remove them in the repository first if they are obsolete`,
    );
  }
}

/** Files whose content differs on the branch: a conflict unless `overwrite`. */
export function refuseChangedFiles(
  files: Array<{ path: string; status: GitOpsFileStatus }>,
  branch: string,
  overwrite: boolean | undefined,
): void {
  const conflicts = files.filter(s => s.status === 'updated').map(s => s.path);
  if (conflicts.length && !overwrite) {
    throw new ConflictError(
      `${conflicts.join(', ')} already exist${
        conflicts.length === 1 ? 's' : ''
      } on ${branch} with different content; set overwrite to replace`,
    );
  }
}

/** Writes the commit object (UTC timestamps, message ending in a newline) and returns its id. */
export async function writeCommitObject(
  store: ObjectStore,
  commit: {
    message: string;
    tree: string;
    parent: string;
    author: GitIdentity;
    committer?: GitIdentity;
  },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const stamp = (who: GitIdentity) => ({
    name: who.name,
    email: who.email,
    timestamp: now,
    timezoneOffset: 0,
  });
  const commitSha = await git.writeCommit({
    ...store,
    commit: {
      message: commit.message.endsWith('\n')
        ? commit.message
        : `${commit.message}\n`,
      tree: commit.tree,
      parent: [commit.parent],
      author: stamp(commit.author),
      committer: stamp(commit.committer ?? commit.author),
    },
  });
  return commitSha;
}
