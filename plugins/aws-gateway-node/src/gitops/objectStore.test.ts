import { read, treeWith } from '../__testUtils__/gitTrees';
import git from 'isomorphic-git';
import {
  assertWritableDirectory,
  copyObjectStore,
  createObjectStore,
  directoryEntries,
  ObjectStore,
  writeFilesIntoTree,
} from './objectStore';

describe('writeFilesIntoTree (in-memory object store)', () => {
  let store: ObjectStore;
  beforeEach(async () => {
    store = await createObjectStore('main');
  });

  it('adds, updates and keeps files, reporting each status', async () => {
    const apps = await treeWith(store, [
      { path: 'same.yaml', mode: '100644', content: 'a\n' },
      { path: 'old.yaml', mode: '100644', content: 'x\n' },
    ]);
    const root = await treeWith(store, [
      { path: 'README.md', mode: '100644', content: '# r\n' },
      { path: 'apps', mode: '040000', oid: apps },
    ]);
    const { tree, statuses } = await writeFilesIntoTree(store, root, [
      { path: 'apps/same.yaml', content: 'a\n' },
      { path: 'apps/old.yaml', content: 'y\n' },
      { path: 'apps/new/deep.yaml', content: 'n\n' },
    ]);
    expect(Object.fromEntries(statuses)).toEqual({
      'apps/same.yaml': 'unchanged',
      'apps/old.yaml': 'updated',
      'apps/new/deep.yaml': 'added',
    });
    expect(await read(store, tree, 'README.md')).toBe('# r\n');
    expect(await read(store, tree, 'apps/old.yaml')).toBe('y\n');
    expect(await read(store, tree, 'apps/new/deep.yaml')).toBe('n\n');
  });

  it('gives the same tree when nothing changes', async () => {
    const root = await treeWith(store, [
      { path: 'a.yaml', mode: '100644', content: 'a\n' },
    ]);
    const { tree } = await writeFilesIntoTree(store, root, [
      { path: 'a.yaml', content: 'a\n' },
    ]);
    expect(tree).toBe(root);
  });

  it.each([
    [
      'a symbolic link as a directory on the path',
      'gateways',
      '120000',
      'gateways/default/gw.yaml',
      /"gateways", which is a symbolic link/,
    ],
    [
      'a symbolic link as the file itself',
      'gw.yaml',
      '120000',
      'gw.yaml',
      /"gw.yaml", which is a symbolic link/,
    ],
    [
      'a submodule on the path',
      'gateways',
      '160000',
      'gateways/gw.yaml',
      /"gateways", which is a submodule/,
    ],
  ])('refuses %s', async (_name, entry, mode, file, message) => {
    const oid = mode === '160000' ? 'a'.repeat(40) : undefined;
    const root = await treeWith(store, [
      { path: entry, mode, content: '../../../../etc', oid },
    ]);
    await expect(
      writeFilesIntoTree(store, root, [{ path: file, content: 'x' }]),
    ).rejects.toThrow(message);
  });

  it('refuses a file where a directory is needed, and the reverse', async () => {
    const sub = await treeWith(store, [
      { path: 'x.yaml', mode: '100644', content: 'x' },
    ]);
    const root = await treeWith(store, [
      { path: 'file', mode: '100644', content: 'f' },
      { path: 'dir', mode: '040000', oid: sub },
    ]);
    await expect(
      writeFilesIntoTree(store, root, [{ path: 'file/a.yaml', content: 'a' }]),
    ).rejects.toThrow('needs "file" to be a directory');
    await expect(
      writeFilesIntoTree(store, root, [{ path: 'dir', content: 'a' }]),
    ).rejects.toThrow('is a directory');
  });

  it('lists the entries directly in a directory, none when it is missing or not a directory', async () => {
    const gw = await treeWith(store, [
      { path: 'gateway-gw.yaml', mode: '100644', content: 'g' },
      { path: 'tcproute-r.yaml', mode: '100644', content: 'r' },
    ]);
    const root = await treeWith(store, [
      {
        path: 'gateways',
        mode: '040000',
        oid: await treeWith(store, [{ path: 'gw', mode: '040000', oid: gw }]),
      },
      { path: 'file', mode: '100644', content: 'f' },
    ]);
    expect(
      (await directoryEntries(store, root, 'gateways/gw')).map(e => e.path),
    ).toEqual(['gateway-gw.yaml', 'tcproute-r.yaml']);
    expect(await directoryEntries(store, root, 'gateways/none')).toEqual([]);
    expect(await directoryEntries(store, root, 'file/x')).toEqual([]);
  });

  it('checks, read-only, that a directory can be written', async () => {
    const inner = await treeWith(store, [
      { path: 'link.yaml', mode: '120000', content: '/etc/passwd' },
    ]);
    const gateways = await treeWith(store, [
      {
        path: 'ok',
        mode: '040000',
        oid: await treeWith(store, [
          { path: 'a.yaml', mode: '100644', content: 'a' },
        ]),
      },
      { path: 'linked', mode: '040000', oid: inner },
      { path: 'escape', mode: '120000', content: '/tmp' },
      { path: 'file', mode: '100644', content: 'f' },
    ]);
    const root = await treeWith(store, [
      { path: 'gateways', mode: '040000', oid: gateways },
    ]);
    await expect(
      assertWritableDirectory(store, root, 'gateways/ok'),
    ).resolves.toBeUndefined();
    await expect(
      assertWritableDirectory(store, root, 'gateways/new/deeper'),
    ).resolves.toBeUndefined();
    await expect(
      assertWritableDirectory(store, root, 'gateways/escape/x'),
    ).rejects.toThrow('"gateways/escape", which is a symbolic link');
    await expect(
      assertWritableDirectory(store, root, 'gateways/linked'),
    ).rejects.toThrow('"gateways/linked/link.yaml", which is a symbolic link');
    await expect(
      assertWritableDirectory(store, root, 'gateways/file/x'),
    ).rejects.toThrow('needs "gateways/file" to be a directory');
  });
});

describe('copyObjectStore', () => {
  it('copies objects and refs; what is written into the copy stays out of the original', async () => {
    const store = await createObjectStore('main', 'https://git.example/a.git');
    const tree = await treeWith(store, [
      { path: 'a.yaml', mode: '100644', content: 'a\n' },
    ]);
    await git.writeRef({ ...store, ref: 'refs/heads/main', value: tree });
    const copy = await copyObjectStore(store);
    expect(await read(copy, tree, 'a.yaml')).toBe('a\n');
    expect(await git.resolveRef({ ...copy, ref: 'refs/heads/main' })).toBe(
      tree,
    );
    const added = await treeWith(copy, [
      { path: 'b.yaml', mode: '100644', content: 'b\n' },
    ]);
    expect(await read(copy, added, 'b.yaml')).toBe('b\n');
    await expect(read(store, added, 'b.yaml')).rejects.toThrow();
  });
});
