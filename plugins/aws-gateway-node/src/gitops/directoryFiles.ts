import { ConflictError } from '@backstage/errors';
import git from 'isomorphic-git';
import {
  assertWritableDirectory,
  directoryEntries,
  ObjectStore,
} from './objectStore';
import { GitOpsFile } from './types';

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
