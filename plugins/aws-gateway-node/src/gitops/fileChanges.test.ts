import { describeFileChanges, reviewAddsNothingAfter } from './fileChanges';
import {
  changedPaths,
  createObjectStore,
  writeFilesIntoTree,
} from './objectStore';

describe('describeFileChanges', () => {
  it('shows changed, added and deleted files as a unified diff, nothing for unchanged ones', () => {
    const diff = describeFileChanges(
      [
        { path: 'g/gateway-a.yaml', content: 'port: 8080\nname: a\n' },
        { path: 'g/same.yaml', content: 'x\n' },
        { path: 'g/tcproute-old.yaml', content: 'old\n' },
      ],
      [
        { path: 'g/gateway-a.yaml', content: 'port: 9090\nname: a\n' },
        { path: 'g/same.yaml', content: 'x\n' },
        { path: 'g/tcproute-new.yaml', content: 'new\n' },
      ],
    );
    expect(diff).toContain('--- a/g/gateway-a.yaml\n+++ b/g/gateway-a.yaml');
    expect(diff).toContain('-port: 8080\n+port: 9090\n');
    expect(diff).toContain('--- /dev/null\n+++ b/g/tcproute-new.yaml');
    expect(diff).toContain('--- a/g/tcproute-old.yaml\n+++ /dev/null');
    expect(diff).not.toContain('same.yaml');
  });

  it('is empty when nothing changes', () => {
    const files = [{ path: 'a.yaml', content: 'a\n' }];
    expect(describeFileChanges(files, files)).toBe('');
  });
});

describe('reviewAddsNothingAfter (over changedPaths of real trees)', () => {
  const GATEWAY = 'platform/gw.yaml';
  const ROUTE = 'routes/team-b/api/tcproute-api.yaml';
  const BASE = 'listeners: [dns]\n';
  const ADDED = 'listeners: [dns, api]\n';

  /** The merge base (the Gateway only) and a review branch adding a listener and its route, plus `extra` files. */
  async function review(extra: Array<{ path: string; content: string }> = []) {
    const store = await createObjectStore('main');
    const base = (
      await writeFilesIntoTree(store, undefined, [
        { path: GATEWAY, content: BASE },
        { path: 'README.md', content: '# r\n' },
      ])
    ).tree;
    const head = (
      await writeFilesIntoTree(store, base, [
        { path: GATEWAY, content: ADDED },
        { path: ROUTE, content: 'kind: TCPRoute\n' },
        ...extra,
      ])
    ).tree;
    return changedPaths(store, base, head, 10);
  }
  const removal = {
    files: [{ path: GATEWAY, content: BASE }],
    replaces: [
      { path: GATEWAY, content: ADDED },
      { path: ROUTE, content: 'kind: TCPRoute\n' },
    ],
  };

  it('lists what a branch changes, by object id, skipping identical folders', async () => {
    const changes = await review();
    expect(changes.complete).toBe(true);
    expect(changes.changes.map(c => [c.path, !!c.from, !!c.to])).toEqual([
      [GATEWAY, true, true],
      [ROUTE, false, true],
    ]);
  });

  it('is true when the removal gives every changed path its merge base content back', async () => {
    expect(await reviewAddsNothingAfter(await review(), removal)).toBe(true);
  });

  it('is false when the manifest written differs from the merge base (formatting included), or the branch changes another file', async () => {
    expect(
      await reviewAddsNothingAfter(await review(), {
        ...removal,
        files: [{ path: GATEWAY, content: 'listeners:\n  - dns\n' }],
      }),
    ).toBe(false);
    const more = await review([{ path: 'notes.md', content: 'n\n' }]);
    expect(await reviewAddsNothingAfter(more, removal)).toBe(false);
  });

  it('is false when the list of changes is incomplete', async () => {
    const changes = await review();
    expect(
      await reviewAddsNothingAfter({ ...changes, complete: false }, removal),
    ).toBe(false);
  });

  it('bounds the list: more changes than the limit is incomplete', async () => {
    const store = await createObjectStore('main');
    const empty = (
      await writeFilesIntoTree(store, undefined, [{ path: 'a', content: '1' }])
    ).tree;
    const many = (
      await writeFilesIntoTree(
        store,
        empty,
        Array.from({ length: 5 }, (_, i) => ({
          path: `d/f${i}`,
          content: 'x',
        })),
      )
    ).tree;
    expect(await changedPaths(store, empty, many, 3)).toMatchObject({
      complete: false,
    });
    expect((await changedPaths(store, empty, many, 5)).complete).toBe(true);
  });
});
