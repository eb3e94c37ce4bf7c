import { ConflictError } from '@backstage/errors';
import git, { TreeEntry } from 'isomorphic-git';
import {
  assertWritableDirectory,
  directoryEntries,
  ObjectStore,
} from './objectStore';
import { GitOpsFile, GitOpsFilesBelow } from './types';

/**
 * Reading a folder of the GitOps repository, whose content is hostile: only
 * plain files directly in it, bounded in number and size, read as git objects
 * (nothing is checked out).
 */

/** At most this many entries in a folder the portal reads. */
export const MAX_READ_FILES = 64;
/** At most this many bytes per file the portal reads (the render actions write a few KiB). */
export const MAX_READ_FILE_BYTES = 256 * 1024;

/**
 * The files directly in `directory` of a tree (none when it does not exist),
 * sorted by path. Links and submodules on the way or in it are refused, and
 * so are sub-folders, more than {@link MAX_READ_FILES} entries and files over
 * {@link MAX_READ_FILE_BYTES} — the portal writes none of them.
 */
export async function readDirectoryFiles(
  store: ObjectStore,
  rootTree: string,
  directory: string,
): Promise<GitOpsFile[]> {
  await assertWritableDirectory(store, rootTree, directory);
  const entries = await directoryEntries(store, rootTree, directory);
  if (entries.length > MAX_READ_FILES) {
    throw new ConflictError(
      `${directory} holds more than ${MAX_READ_FILES} entries in the GitOps repository; the portal writes a few files there`,
    );
  }
  const files: GitOpsFile[] = [];
  for (const entry of entries) {
    const at = `${directory}/${entry.path}`;
    if (entry.type !== 'blob') {
      throw new ConflictError(
        `${at} is a folder in the GitOps repository; the portal writes plain files only in ${directory}`,
      );
    }
    const { blob } = await git.readBlob({ ...store, oid: entry.oid });
    if (blob.byteLength > MAX_READ_FILE_BYTES) {
      throw new ConflictError(
        `${at} is larger than ${MAX_READ_FILE_BYTES} bytes in the GitOps repository; the portal writes a few KiB`,
      );
    }
    files.push({ path: at, content: Buffer.from(blob).toString('utf8') });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** At most this many files are read below the folders of one `readFilesBelow`. */
export const MAX_READ_FILES_BELOW = 1024;

/**
 * The plain files exactly `depth` folders below each of `directories`
 * (`gateways/<namespace>/<name>/<file>`: depth 2), at most
 * {@link MAX_READ_FILES_BELOW} in all. The repository is hostile: links and
 * submodules are never followed nor read, files over
 * {@link MAX_READ_FILE_BYTES} are left out; what is left out is said
 * (`complete` false), never refused — the caller decides.
 */
export async function readFilesBelow(
  store: ObjectStore,
  rootTree: string,
  directories: string[],
  depth: number,
): Promise<GitOpsFilesBelow> {
  const files: GitOpsFile[] = [];
  let complete = true;
  const walk = async (entries: TreeEntry[], at: string, left: number) => {
    for (const entry of entries) {
      const path = `${at}/${entry.path}`;
      if (left > 0) {
        if (entry.type === 'tree') {
          const { tree } = await git.readTree({ ...store, oid: entry.oid });
          await walk(tree, path, left - 1);
        }
        continue;
      }
      // Plain files only (100644, 100755): 120000 is a link, 160000 a submodule.
      if (entry.type !== 'blob' || !entry.mode.startsWith('100')) continue;
      if (files.length >= MAX_READ_FILES_BELOW) {
        complete = false;
        return;
      }
      const { blob } = await git.readBlob({ ...store, oid: entry.oid });
      if (blob.byteLength > MAX_READ_FILE_BYTES) complete = false;
      else files.push({ path, content: Buffer.from(blob).toString('utf8') });
    }
  };
  for (const directory of directories) {
    await walk(
      await directoryEntries(store, rootTree, directory),
      directory,
      depth,
    );
  }
  return {
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
    complete,
  };
}
