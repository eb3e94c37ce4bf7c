import { ConflictError, InputError } from '@backstage/errors';
import git, { TreeEntry } from 'isomorphic-git';
import { createFsFromVolume, Volume } from 'memfs';

/**
 * A bare git object store in memory. Repository content is only ever read
 * and written as git objects (blobs and trees): nothing is checked out, so no
 * file of the repository — a symbolic link, a `.git/config`, a hook — is ever
 * materialised on the backend host, and the host's disk is never written.
 */
export interface ObjectStore {
  fs: any;
  gitdir: string;
}

/** @public */
export type GitOpsFileStatus = 'added' | 'updated' | 'unchanged' | 'deleted';

const MODE_TREE = '040000';
const MODE_FILE = '100644';
const MODE_EXECUTABLE = '100755';
const MODE_SYMLINK = '120000';
const MODE_SUBMODULE = '160000';

/** A new store; `url` (the normalised, allowed URL) becomes its only remote, in its own in-memory config. */
export async function createObjectStore(
  defaultBranch: string,
  url?: string,
): Promise<ObjectStore> {
  const store = {
    fs: createFsFromVolume(new Volume()),
    gitdir: '/repository.git',
  };
  await git.init({ ...store, bare: true, defaultBranch });
  if (url) await git.addRemote({ ...store, remote: 'origin', url });
  return store;
}

/**
 * A copy of `store` (objects, shallow commits, refs, config) in a store of
 * its own: fetching more into the copy leaves the original as it is.
 */
export async function copyObjectStore(
  store: ObjectStore,
): Promise<ObjectStore> {
  const copy = {
    fs: createFsFromVolume(new Volume()),
    gitdir: store.gitdir,
  };
  const copyDirectory = async (dir: string): Promise<void> => {
    await copy.fs.promises.mkdir(dir, { recursive: true });
    for (const entry of await store.fs.promises.readdir(dir, {
      withFileTypes: true,
    })) {
      const at = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await copyDirectory(at);
      else
        await copy.fs.promises.writeFile(
          at,
          await store.fs.promises.readFile(at),
        );
    }
  };
  await copyDirectory(store.gitdir);
  return copy;
}

/** Refuses links and submodules: the portal writes into plain directories of the repository only. */
function refuseSpecial(entry: TreeEntry, at: string, file: string): void {
  if (entry.mode === MODE_SYMLINK) {
    throw new InputError(
      `files: "${file}" would be written through "${at}", which is a symbolic link in the GitOps repository; the portal never writes through links — replace it with a plain directory or file first`,
    );
  }
  if (entry.mode === MODE_SUBMODULE || entry.type === 'commit') {
    throw new InputError(
      `files: "${file}" would be written into "${at}", which is a submodule in the GitOps repository; the portal writes into plain directories only`,
    );
  }
}

/**
 * Refuses a directory whose existing part holds a link, a submodule or a file
 * where a directory is needed, or that directly holds a link or a submodule
 * (a commit writes its files there).
 */
export async function assertWritableDirectory(
  store: ObjectStore,
  treeOid: string,
  directory: string,
): Promise<void> {
  let oid: string = treeOid;
  let at = '';
  for (const name of directory.split('/')) {
    at = at ? `${at}/${name}` : name;
    const entry: TreeEntry | undefined = (
      await git.readTree({ ...store, oid })
    ).tree.find(e => e.path === name);
    if (!entry) return; // the rest is created by the commit
    refuseSpecial(entry, at, `${directory}/`);
    if (entry.type !== 'tree') {
      throw new ConflictError(
        `files: "${directory}/" needs "${at}" to be a directory, but it is a file in the GitOps repository`,
      );
    }
    oid = entry.oid;
  }
  for (const entry of (await git.readTree({ ...store, oid })).tree) {
    refuseSpecial(entry, `${directory}/${entry.path}`, `${directory}/`);
  }
}

/** The entries directly in `directory` of a tree: none when it is missing or not a plain directory. */
export async function directoryEntries(
  store: ObjectStore,
  treeOid: string,
  directory: string,
): Promise<TreeEntry[]> {
  let oid = treeOid;
  for (const name of directory.split('/')) {
    const entry = (await git.readTree({ ...store, oid })).tree.find(
      e => e.path === name,
    );
    if (!entry || entry.type !== 'tree') return [];
    oid = entry.oid;
  }
  return (await git.readTree({ ...store, oid })).tree;
}

interface PendingFile {
  /** Full repository path, for messages and statuses. */
  path: string;
  /** Segments still to descend. */
  rest: string[];
  content: string;
}

/**
 * Writes `files` into the tree `treeOid` (undefined: an empty tree) and
 * returns the new root tree and each file's status. Existing entries are
 * kept; a file in the way of a directory (or the reverse) is a conflict.
 */
export async function writeFilesIntoTree(
  store: ObjectStore,
  treeOid: string | undefined,
  files: Array<{ path: string; content: string }>,
): Promise<{ tree: string; statuses: Map<string, GitOpsFileStatus> }> {
  const statuses = new Map<string, GitOpsFileStatus>();
  const pending = files.map(f => ({
    path: f.path,
    rest: f.path.split('/'),
    content: f.content,
  }));
  const tree = await writeLevel(store, treeOid, '', pending, statuses);
  return { tree, statuses };
}

async function writeLevel(
  store: ObjectStore,
  treeOid: string | undefined,
  dir: string,
  files: PendingFile[],
  statuses: Map<string, GitOpsFileStatus>,
): Promise<string> {
  const entries = new Map<string, TreeEntry>();
  if (treeOid) {
    for (const entry of (await git.readTree({ ...store, oid: treeOid })).tree)
      entries.set(entry.path, entry);
  }
  const subdirs = new Map<string, PendingFile[]>();
  for (const file of files) {
    const [name, ...rest] = file.rest;
    const at = dir ? `${dir}/${name}` : name;
    const existing = entries.get(name);
    if (existing) refuseSpecial(existing, at, file.path);
    if (rest.length) {
      if (existing && existing.type !== 'tree') {
        throw new ConflictError(
          `files: "${file.path}" needs "${at}" to be a directory, but it is a file in the GitOps repository`,
        );
      }
      subdirs.set(name, [...(subdirs.get(name) ?? []), { ...file, rest }]);
      continue;
    }
    if (existing?.type === 'tree') {
      throw new ConflictError(
        `files: "${file.path}" is a directory in the GitOps repository`,
      );
    }
    const blob = Buffer.from(file.content, 'utf8');
    let status: GitOpsFileStatus = 'added';
    if (existing) {
      const current = (await git.readBlob({ ...store, oid: existing.oid }))
        .blob;
      status =
        Buffer.compare(Buffer.from(current), blob) === 0
          ? 'unchanged'
          : 'updated';
    }
    statuses.set(file.path, status);
    const oid = await git.writeBlob({ ...store, blob });
    entries.set(name, {
      mode: existing?.mode === MODE_EXECUTABLE ? MODE_EXECUTABLE : MODE_FILE,
      path: name,
      oid,
      type: 'blob',
    });
  }
  for (const [name, nested] of subdirs) {
    const existing = entries.get(name);
    const oid = await writeLevel(
      store,
      existing?.oid,
      dir ? `${dir}/${name}` : name,
      nested,
      statuses,
    );
    entries.set(name, { mode: MODE_TREE, path: name, oid, type: 'tree' });
  }
  return git.writeTree({ ...store, tree: [...entries.values()] });
}

/**
 * A path whose entry differs between two trees: its blob (or tree, link…) id on each side, absent where missing.
 *
 * @public
 */
export interface TreeChange {
  path: string;
  from?: string;
  to?: string;
}

/**
 * The paths whose entries differ between trees `from` and `to` (identical
 * sub-trees are skipped by id), at most `limit`: `complete` is false when
 * there are more. Reads object ids only, never content.
 */
export async function changedPaths(
  store: ObjectStore,
  from: string,
  to: string,
  limit: number,
): Promise<{ changes: TreeChange[]; complete: boolean }> {
  const changes: TreeChange[] = [];
  const entries = async (oid: string | undefined) =>
    new Map(
      oid
        ? (await git.readTree({ ...store, oid })).tree.map(e => [e.path, e])
        : [],
    );
  const compare = async (
    a: string | undefined,
    b: string | undefined,
    dir: string,
  ): Promise<boolean> => {
    const [left, right] = await Promise.all([entries(a), entries(b)]);
    const names = [...new Set([...left.keys(), ...right.keys()])].sort();
    for (const name of names) {
      const [l, r] = [left.get(name), right.get(name)];
      if (l?.oid === r?.oid && l?.mode === r?.mode) continue;
      const at = dir ? `${dir}/${name}` : name;
      const lTree = l?.type === 'tree' ? l.oid : undefined;
      const rTree = r?.type === 'tree' ? r.oid : undefined;
      if (lTree || rTree) {
        if (!(await compare(lTree, rTree, at))) return false;
        // A file replaced by a folder (or the reverse) is a change of its own.
        if ((l && !lTree) || (r && !rTree)) {
          if (changes.length >= limit) return false;
          changes.push({
            path: at,
            ...(l && !lTree ? { from: l.oid } : {}),
            ...(r && !rTree ? { to: r.oid } : {}),
          });
        }
        continue;
      }
      if (changes.length >= limit) return false;
      changes.push({
        path: at,
        ...(l ? { from: l.oid } : {}),
        ...(r ? { to: r.oid } : {}),
      });
    }
    return true;
  };
  const complete = await compare(from, to, '');
  return { changes, complete };
}
