import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { readCommitView } from './commitView';
import { GitFront, startGitFront } from './gitFront';

const AUTHOR = {
  name: "Dev O'Neil <admin>",
  email: 'dev@example.com',
  timestamp: 1_790_000_000,
  timezoneOffset: 0,
};
const SUBMODULE_OID = 'a'.repeat(40);

type Entry = { path: string; mode: string; content?: string | Uint8Array };

/** Writes a commit straight into the bare repository's object store (flat trees, one level of folders). */
async function commit(
  gitdir: string,
  entries: Entry[],
  message: string,
  parent: string[],
): Promise<string> {
  const folders = new Map<string, any[]>();
  const root: any[] = [];
  for (const e of entries) {
    const [dir, name] = e.path.includes('/')
      ? e.path.split('/')
      : [undefined, e.path];
    const oid =
      e.mode === '160000'
        ? SUBMODULE_OID
        : await git.writeBlob({
            fs,
            gitdir,
            blob:
              typeof e.content === 'string'
                ? Buffer.from(e.content)
                : e.content!,
          });
    const entry = {
      mode: e.mode,
      path: name,
      oid,
      type: e.mode === '160000' ? 'commit' : 'blob',
    };
    if (dir) folders.set(dir, [...(folders.get(dir) ?? []), entry]);
    else root.push(entry);
  }
  for (const [dir, tree] of folders)
    root.push({
      mode: '040000',
      path: dir,
      oid: await git.writeTree({ fs, gitdir, tree }),
      type: 'tree',
    });
  const tree = await git.writeTree({ fs, gitdir, tree: root });
  return git.writeCommit({
    fs,
    gitdir,
    commit: { message, tree, parent, author: AUTHOR, committer: AUTHOR },
  });
}

describe('the sandbox git server front', () => {
  let dir: string;
  let gitdir: string;
  let first: string;
  let second: string;
  let upstream: http.Server;
  let upstreamUrl: string;
  const seen: Array<{
    method?: string;
    url?: string;
    auth?: string;
    body: string;
  }> = [];
  let front: GitFront;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'git-front-'));
    gitdir = path.join(dir, 'platform-gitops.git');
    await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    first = await commit(
      gitdir,
      [
        { path: 'README.md', mode: '100644', content: '# gitops\n' },
        { path: 'old.yaml', mode: '100644', content: 'kind: Old\n' },
        { path: 'keep/same.yaml', mode: '100644', content: 'kind: Same\n' },
      ],
      'Initial commit\n',
      [],
    );
    second = await commit(
      gitdir,
      [
        {
          path: 'README.md',
          mode: '100644',
          content: '<script>alert("x")</script> & more\n',
        },
        { path: 'keep/same.yaml', mode: '100644', content: 'kind: Same\n' },
        {
          path: 'gateways/gateway.yaml',
          mode: '100644',
          content: 'kind: Gateway\n',
        },
        { path: 'link', mode: '120000', content: '../../<etc>/passwd' },
        {
          path: 'data.bin',
          mode: '100644',
          content: new Uint8Array([1, 0, 2]),
        },
        { path: 'sub', mode: '160000' },
      ],
      'Expose <b>backend</b>\n\nFiles for the "backend" Service.\n',
      [first],
    );

    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', d => (body += d));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          body,
        });
        res.writeHead(207, { 'x-upstream': 'yes' }).end('from the git server');
      });
    });
    await new Promise<void>(r => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${
      (upstream.address() as AddressInfo).port
    }/`;
    front = await startGitFront({
      upstream: upstreamUrl,
      repositories: { 'sandbox/platform-gitops': gitdir },
    });
  });

  afterAll(async () => {
    await front?.close();
    await new Promise(r => upstream?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('reads what a commit changed against its parent from git objects', async () => {
    const view = await readCommitView(gitdir, second);
    expect(view).toMatchObject({
      oid: second,
      parent: first,
      author: { name: AUTHOR.name, email: AUTHOR.email },
    });
    expect(view!.author.date.toISOString()).toBe('2026-09-21T14:13:20.000Z');
    expect(
      Object.fromEntries(
        view!.files.map(f => [f.path, [f.change, f.text ?? f.note]]),
      ),
    ).toEqual({
      'README.md': ['modified', '<script>alert("x")</script> & more\n'],
      'data.bin': ['added', 'binary, 3 bytes'],
      'gateways/gateway.yaml': ['added', 'kind: Gateway\n'],
      link: ['added', 'symbolic link to ../../<etc>/passwd'],
      'old.yaml': ['deleted', 'deleted'],
      sub: ['added', `submodule at ${SUBMODULE_OID} (not shown)`],
    });
  });

  it('shows a root commit as all files added, and no view of an unknown commit', async () => {
    const root = await readCommitView(gitdir, first);
    expect(root!.parent).toBeUndefined();
    expect(root!.files.map(f => `${f.change} ${f.path}`)).toEqual([
      'added README.md',
      'added keep/same.yaml',
      'added old.yaml',
    ]);
    expect(await readCommitView(gitdir, 'b'.repeat(40))).toBeUndefined();
  });

  it("serves the commit page at Gitea's address, everything from the repository escaped", async () => {
    const res = await fetch(
      `${front.baseUrl}sandbox/platform-gitops/commit/${second}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'$/,
    );
    const html = await res.text();
    expect(html).toContain('<h1>Expose &lt;b&gt;backend&lt;/b&gt;</h1>');
    expect(html).toContain('Files for the &quot;backend&quot; Service.');
    expect(html).toContain(
      'Dev O&#39;Neil &lt;admin&gt; &lt;dev@example.com&gt;',
    );
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more',
    );
    expect(html).toContain('symbolic link to ../../&lt;etc&gt;/passwd');
    expect(html).toContain('<h2>6 changed files</h2>');
    expect(html).not.toMatch(/<script|<b>/);
    expect(seen).toEqual([]);
  });

  it('answers 404 for a commit or repository it does not have, without asking the git server', async () => {
    for (const address of [
      `sandbox/platform-gitops/commit/${'c'.repeat(40)}`,
      `sandbox/other/commit/${second}`,
      `..%2F..%2Fsandbox/platform-gitops/commit/${second}`,
    ]) {
      const res = await fetch(`${front.baseUrl}${address}`);
      expect({ address, status: res.status }).toEqual({ address, status: 404 });
    }
    expect(seen).toEqual([]);
  });

  it('passes every other request to the git server unchanged, credentials included', async () => {
    const res = await fetch(
      `${front.baseUrl}sandbox/platform-gitops.git/git-receive-pack?x=1`,
      {
        method: 'POST',
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
        body: 'pack data',
      },
    );
    expect(res.status).toBe(207);
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(await res.text()).toBe('from the git server');
    // a commit address that is not a GET is the git server's too
    await fetch(`${front.baseUrl}sandbox/platform-gitops/commit/${second}`, {
      method: 'POST',
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/sandbox/platform-gitops.git/git-receive-pack?x=1',
        auth: 'Basic dXNlcjpwYXNz',
        body: 'pack data',
      },
      {
        method: 'POST',
        url: `/sandbox/platform-gitops/commit/${second}`,
        auth: undefined,
        body: '',
      },
    ]);
  });

  it('answers 502 without naming the git server when it is down', async () => {
    const down = http.createServer();
    await new Promise<void>(r => down.listen(0, '127.0.0.1', r));
    const port = (down.address() as AddressInfo).port;
    await new Promise(r => down.close(r));
    const logged: string[] = [];
    const orphan = await startGitFront({
      upstream: `http://127.0.0.1:${port}/`,
      repositories: {},
      log: m => logged.push(m),
    });
    try {
      const res = await fetch(`${orphan.baseUrl}x/y.git/info/refs`);
      expect(res.status).toBe(502);
      const text = await res.text();
      expect(text).toBe('the git server is unavailable\n');
      expect(text).not.toContain(String(port));
    } finally {
      await orphan.close();
    }
    expect(logged).toEqual(['git request GET failed: ECONNREFUSED']);
  });
});
