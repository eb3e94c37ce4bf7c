import git from 'isomorphic-git';
import { ObjectStore } from '../gitops/objectStore';

/** Trees and blobs written straight into an in-memory object store, as a hostile repository could hold them. */

export async function treeWith(
  store: ObjectStore,
  entries: Array<{
    path: string;
    mode: string;
    content?: string;
    oid?: string;
  }>,
) {
  const tree = [];
  for (const e of entries) {
    const oid =
      e.oid ??
      (await git.writeBlob({ ...store, blob: Buffer.from(e.content ?? '') }));
    const types: Record<string, 'tree' | 'commit'> = {
      '040000': 'tree',
      '160000': 'commit',
    };
    const type = types[e.mode] ?? 'blob';
    tree.push({ path: e.path, mode: e.mode, oid, type } as const);
  }
  return git.writeTree({ ...store, tree });
}

export async function read(store: ObjectStore, tree: string, filepath: string) {
  const { blob } = await git.readBlob({ ...store, oid: tree, filepath });
  return Buffer.from(blob).toString('utf8');
}
