/**
 * One commit of a bare repository as the sandbox's commit page shows it: the
 * message, the author and the files the commit changed against its first
 * parent, with their new content. Read from git objects only (isomorphic-git
 * over the bare repository): nothing is checked out, so no file of the
 * repository — a symbolic link, a submodule — ever reaches the file system.
 */
import fs from 'node:fs';
import git, { TREE, WalkerEntry } from 'isomorphic-git';

/** A file's content is shown up to this size; the whole page holds at most TOTAL bytes of content. */
export const COMMIT_VIEW_LIMITS = {
  fileBytes: 256 << 10,
  totalBytes: 2 << 20,
};

const MODE_SYMLINK = 0o120000;

export type FileChange = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  path: string;
  change: FileChange;
  /** The new content as text, when it is shown. */
  text?: string;
  /** Why there is no text: deleted, binary, too large, a link or a submodule. */
  note?: string;
}

export interface CommitView {
  oid: string;
  parent?: string;
  message: string;
  author: { name: string; email: string; date: Date };
  files: ChangedFile[];
}

function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** What the page shows of one side of a change (the new one, or the old one when deleted). */
async function describeEntry(
  entry: WalkerEntry,
  budget: { left: number },
  deleted: boolean,
): Promise<Pick<ChangedFile, 'text' | 'note'>> {
  const type = await entry.type();
  if (type === 'commit')
    return { note: `submodule at ${await entry.oid()} (not shown)` };
  if (deleted) return { note: 'deleted' };
  const bytes = (await entry.content()) ?? new Uint8Array();
  if ((await entry.mode()) === MODE_SYMLINK)
    return {
      note: `symbolic link to ${new TextDecoder().decode(
        bytes.subarray(0, 1024),
      )}`,
    };
  if (looksBinary(bytes)) return { note: `binary, ${bytes.length} bytes` };
  if (bytes.length > COMMIT_VIEW_LIMITS.fileBytes || bytes.length > budget.left)
    return { note: `${bytes.length} bytes, too large to show` };
  budget.left -= bytes.length;
  return { text: new TextDecoder().decode(bytes) };
}

/**
 * The commit `oid` of the bare repository at `gitdir`, or undefined when the
 * repository has no such commit.
 */
export async function readCommitView(
  gitdir: string,
  oid: string,
): Promise<CommitView | undefined> {
  let commit;
  try {
    commit = (await git.readCommit({ fs, gitdir, oid })).commit;
  } catch (e) {
    if (e instanceof git.Errors.NotFoundError) return undefined;
    throw e;
  }
  const parent = commit.parent[0];
  const budget = { left: COMMIT_VIEW_LIMITS.totalBytes };
  // The root commit is compared with an empty tree: every file is added.
  const trees = parent
    ? [TREE({ ref: parent }), TREE({ ref: oid })]
    : [TREE({ ref: oid })];
  const files: ChangedFile[] = await git.walk({
    fs,
    gitdir,
    trees,
    map: async (filepath, entries) => {
      const [before, after] = parent ? entries : [null, entries[0]];
      if (filepath === '.') return undefined;
      const [typeBefore, typeAfter] = await Promise.all([
        before?.type(),
        after?.type(),
      ]);
      const [oidBefore, oidAfter] = await Promise.all([
        before?.oid(),
        after?.oid(),
      ]);
      // An unchanged subtree is not walked; a changed one is, and is no row itself.
      if (oidBefore === oidAfter) return null;
      const fileBefore = typeBefore && typeBefore !== 'tree' ? before : null;
      const fileAfter = typeAfter && typeAfter !== 'tree' ? after : null;
      if (!fileBefore && !fileAfter) return undefined;
      let change: FileChange = 'modified';
      if (!fileBefore) change = 'added';
      else if (!fileAfter) change = 'deleted';
      return {
        path: filepath,
        change,
        ...(await describeEntry(
          (fileAfter ?? fileBefore)!,
          budget,
          !fileAfter,
        )),
      };
    },
  });
  return {
    oid,
    parent,
    message: commit.message,
    author: {
      name: commit.author.name,
      email: commit.author.email,
      date: new Date(commit.author.timestamp * 1000),
    },
    files,
  };
}
