import git from 'isomorphic-git';
import { treeWith } from '../__testUtils__/gitTrees';
import {
  MAX_READ_FILE_BYTES,
  MAX_READ_FILES_BELOW,
  readFilesBelow,
} from './directoryFiles';
import { createObjectStore, ObjectStore } from './objectStore';

describe('readFilesBelow (in-memory object store)', () => {
  let store: ObjectStore;
  beforeEach(async () => {
    store = await createObjectStore('main');
  });

  /** `<root>/<namespace>/<name>/` with these entries. */
  const layout = async (
    root: string,
    entries: Parameters<typeof treeWith>[1],
    more: Parameters<typeof treeWith>[1] = [],
  ) => {
    const folder = await treeWith(store, entries);
    const namespace = await treeWith(store, [
      { path: 'db', mode: '040000', oid: folder },
      { path: 'stray.yaml', mode: '100644', content: 'too high\n' },
    ]);
    const top = await treeWith(store, [
      { path: 'team-a', mode: '040000', oid: namespace },
    ]);
    return treeWith(store, [{ path: root, mode: '040000', oid: top }, ...more]);
  };

  it('reads the plain files exactly that deep, never a link, a submodule or a deeper folder', async () => {
    const deeper = await treeWith(store, [
      { path: 'deep.yaml', mode: '100644', content: 'deeper\n' },
    ]);
    const root = await layout(
      'gateways',
      [
        { path: 'a.yaml', mode: '100644', content: 'a\n' },
        { path: 'run.sh', mode: '100755', content: 'x\n' },
        { path: 'link.yaml', mode: '120000', content: '/etc/passwd' },
        { path: 'sub', mode: '160000', oid: 'a'.repeat(40) },
        { path: 'nested', mode: '040000', oid: deeper },
      ],
      [{ path: 'other', mode: '120000', content: 'gateways' }],
    );
    expect(
      await readFilesBelow(store, root, ['gateways', 'other', 'missing'], 2),
    ).toEqual({
      files: [
        { path: 'gateways/team-a/db/a.yaml', content: 'a\n' },
        { path: 'gateways/team-a/db/run.sh', content: 'x\n' },
      ],
      complete: true,
    });
  });

  it('leaves out files over the size bound and beyond the count bound, and says so', async () => {
    const big = await layout('gateways', [
      {
        path: 'big.yaml',
        mode: '100644',
        content: 'x'.repeat(MAX_READ_FILE_BYTES + 1),
      },
      { path: 'ok.yaml', mode: '100644', content: 'ok\n' },
    ]);
    expect(await readFilesBelow(store, big, ['gateways'], 2)).toEqual({
      files: [{ path: 'gateways/team-a/db/ok.yaml', content: 'ok\n' }],
      complete: false,
    });
    // One blob under many names: the bound counts entries, not contents.
    const one = await treeWith(store, [
      { path: 'x', mode: '100644', content: 'x\n' },
    ]);
    const { tree } = await git.readTree({ ...store, oid: one });
    const many = await layout(
      'gateways',
      Array.from({ length: MAX_READ_FILES_BELOW + 1 }, (_, i) => ({
        path: `f${i}.yaml`,
        mode: '100644',
        oid: tree[0].oid,
      })),
    );
    const read = await readFilesBelow(store, many, ['gateways'], 2);
    expect(read.files).toHaveLength(MAX_READ_FILES_BELOW);
    expect(read.complete).toBe(false);
  });
});
