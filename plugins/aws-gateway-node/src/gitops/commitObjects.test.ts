import { read, treeWith } from '../__testUtils__/gitTrees';
import { refuseChangedSinceRead, removeFilesFromTree } from './commitObjects';
import { readDirectoryFiles, MAX_READ_FILE_BYTES } from './directoryFiles';
import {
  createObjectStore,
  directoryEntries,
  ObjectStore,
} from './objectStore';

async function endpointRepo(store: ObjectStore) {
  const gateway = await treeWith(store, [
    { path: 'gateway-gw.yaml', mode: '100644', content: 'g\n' },
    { path: 'tcproute-r.yaml', mode: '100644', content: 'r\n' },
  ]);
  const ns = await treeWith(store, [
    { path: 'gw', mode: '040000', oid: gateway },
  ]);
  const gateways = await treeWith(store, [
    { path: 'default', mode: '040000', oid: ns },
  ]);
  return treeWith(store, [
    { path: 'README.md', mode: '100644', content: '# r\n' },
    { path: 'gateways', mode: '040000', oid: gateways },
  ]);
}

describe('removing files and reading a folder (in-memory object store)', () => {
  let store: ObjectStore;
  beforeEach(async () => {
    store = await createObjectStore('main');
  });

  it('removes files and the folders they leave empty, keeping the rest', async () => {
    const root = await endpointRepo(store);
    const { tree, statuses } = await removeFilesFromTree(store, root, [
      'gateways/default/gw/gateway-gw.yaml',
      'gateways/default/gw/tcproute-r.yaml',
      'gateways/default/gw/gone.yaml',
    ]);
    expect(Object.fromEntries(statuses)).toEqual({
      'gateways/default/gw/gateway-gw.yaml': 'deleted',
      'gateways/default/gw/tcproute-r.yaml': 'deleted',
      'gateways/default/gw/gone.yaml': 'unchanged',
    });
    expect(await read(store, tree, 'README.md')).toBe('# r\n');
    expect(await directoryEntries(store, tree, 'gateways')).toEqual([]);
  });

  it('removes one file of a folder and keeps the others', async () => {
    const root = await endpointRepo(store);
    const { tree } = await removeFilesFromTree(store, root, [
      'gateways/default/gw/tcproute-r.yaml',
    ]);
    expect(
      (await directoryEntries(store, tree, 'gateways/default/gw')).map(
        e => e.path,
      ),
    ).toEqual(['gateway-gw.yaml']);
  });

  it('refuses files changed since they were read, and accepts ones already gone', async () => {
    const root = await endpointRepo(store);
    await expect(
      refuseChangedSinceRead(
        store,
        root,
        [
          { path: 'gateways/default/gw/gateway-gw.yaml', content: 'g\n' },
          { path: 'gateways/default/gw/absent.yaml', content: 'x\n' },
        ],
        'main',
      ),
    ).resolves.toBeUndefined();
    await expect(
      refuseChangedSinceRead(
        store,
        root,
        [{ path: 'gateways/default/gw/tcproute-r.yaml', content: 'edited\n' }],
        'main',
      ),
    ).rejects.toThrow(
      'gateways/default/gw/tcproute-r.yaml changed on main since it was read',
    );
  });

  it('reads the plain files of a folder, sorted; none when it is missing', async () => {
    const root = await endpointRepo(store);
    expect(
      await readDirectoryFiles(store, root, 'gateways/default/gw'),
    ).toEqual([
      { path: 'gateways/default/gw/gateway-gw.yaml', content: 'g\n' },
      { path: 'gateways/default/gw/tcproute-r.yaml', content: 'r\n' },
    ]);
    expect(await readDirectoryFiles(store, root, 'gateways/other/gw')).toEqual(
      [],
    );
  });

  it.each([
    ['a symbolic link', '120000', /symbolic link/],
    ['a sub-folder', '040000', /is a folder/],
  ])('refuses a folder holding %s', async (_what, mode, message) => {
    const inner = await treeWith(store, []);
    const folder = await treeWith(store, [
      { path: 'gateway-gw.yaml', mode: '100644', content: 'g\n' },
      mode === '040000'
        ? { path: 'nested', mode, oid: inner }
        : { path: 'tcproute-r.yaml', mode, content: '/etc/passwd' },
    ]);
    const root = await treeWith(store, [
      { path: 'gw', mode: '040000', oid: folder },
    ]);
    await expect(readDirectoryFiles(store, root, 'gw')).rejects.toThrow(
      message,
    );
  });

  it('refuses a file over the size limit', async () => {
    const folder = await treeWith(store, [
      {
        path: 'gateway-gw.yaml',
        mode: '100644',
        content: 'x'.repeat(MAX_READ_FILE_BYTES + 1),
      },
    ]);
    const root = await treeWith(store, [
      { path: 'gw', mode: '040000', oid: folder },
    ]);
    await expect(readDirectoryFiles(store, root, 'gw')).rejects.toThrow(
      `gw/gateway-gw.yaml is larger than ${MAX_READ_FILE_BYTES} bytes`,
    );
  });
});
