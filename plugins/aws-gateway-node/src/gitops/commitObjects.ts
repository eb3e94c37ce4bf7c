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

/**
 * The files a commit replaces must still be as they were read: one changed
 * since (a hand edit, another task) is a conflict, never overwritten. One
 * already gone is fine (a re-run after the removal landed).
 */
export async function refuseChangedSinceRead(
  store: ObjectStore,
  rootTree: string,
  replaces: GitOpsFile[],
  branch: string,
): Promise<void> {
  const changed: string[] = [];
  for (const file of replaces) {
    let current: Uint8Array;
    try {
      current = (
        await git.readBlob({ ...store, oid: rootTree, filepath: file.path })
      ).blob;
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') continue;
      throw error;
    }
    if (Buffer.compare(Buffer.from(current), Buffer.from(file.content)) !== 0)
      changed.push(file.path);
  }
  if (changed.length) {
    throw new ConflictError(
      `${changed.join(', ')} changed on ${branch} since ${
        changed.length === 1 ? 'it was' : 'they were'
      } read; nothing was committed — run again to work on the current content`,
    );
  }
}

/**
 * Removes `paths` from the tree `treeOid`, and folders left empty by that;
 * returns the new root tree and each path's status (`deleted`, or
 * `unchanged` when it was not there).
 */
export async function removeFilesFromTree(
  store: ObjectStore,
  treeOid: string,
  paths: string[],
): Promise<{ tree: string; statuses: Map<string, GitOpsFileStatus> }> {
  const statuses = new Map<string, GitOpsFileStatus>(
    paths.map(p => [p, 'unchanged']),
  );
  const tree =
    (await removeLevel(
      store,
      treeOid,
      paths.map(p => ({ path: p, rest: p.split('/') })),
      statuses,
    )) ?? (await git.writeTree({ ...store, tree: [] }));
  return { tree, statuses };
}

/** One tree level: undefined when nothing is left in it. */
async function removeLevel(
  store: ObjectStore,
  treeOid: string,
  paths: Array<{ path: string; rest: string[] }>,
  statuses: Map<string, GitOpsFileStatus>,
): Promise<string | undefined> {
  const entries = new Map(
    (await git.readTree({ ...store, oid: treeOid })).tree.map(e => [e.path, e]),
  );
  const nested = new Map<string, Array<{ path: string; rest: string[] }>>();
  for (const { path, rest } of paths) {
    const [name, ...below] = rest;
    const entry = entries.get(name);
    if (!entry) continue;
    if (!below.length) {
      if (entry.type === 'blob') {
        entries.delete(name);
        statuses.set(path, 'deleted');
      }
      continue;
    }
    if (entry.type === 'tree')
      nested.set(name, [...(nested.get(name) ?? []), { path, rest: below }]);
  }
  for (const [name, below] of nested) {
    const oid = await removeLevel(
      store,
      entries.get(name)!.oid,
      below,
      statuses,
    );
    if (oid) entries.set(name, { ...entries.get(name)!, oid });
    else entries.delete(name);
  }
  if (!entries.size) return undefined;
  return git.writeTree({ ...store, tree: [...entries.values()] });
}
