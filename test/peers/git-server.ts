/**
 * Git peer: Debian's git, smart HTTP. A small Node HTTP server on loopback
 * checks basic auth and runs `git http-backend` (CGI) for every git request,
 * serving the bare repositories under one temp directory. It also answers a
 * narrow, Gitea-compatible pull request API (ours, see test/README.md):
 * GET/POST /api/v1/repos/{owner}/{repo}/pulls, a close and a comment, kept in
 * memory (a pull request merged by a push to its base is listed closed and
 * merged), and the GitHub
 * (/api/v3), GitLab (/api/v4) and Azure DevOps (/<org>/<project>/_apis/git, clone
 * URLs /<org>/<project>/_git/<repo>) subsets of forge-apis.ts. Besides its basic
 * user it knows the users of PEER_USERS by their tokens (peerUserToken), and
 * records which login pushed (GET /_peer/pushes); tests read pull requests'
 * state and comments (GET /_peer/pulls), make closes fail
 * (POST /_peer/refuse-edits: closes and retitles), add others' comments
 * in bulk (POST /_peer/comments) and have one deleted while a client reads
 * them (POST /_peer/delete-comment-on-page).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './cache';
import {
  branchSha,
  CommentDeletion,
  ForgeContext,
  azureGitPath,
  handleAzure,
  handleGithub,
  handleGitlab,
  isAzureApi,
  hasPullFields,
  PEER_USERS,
  PeerComment,
  peerPulls,
  postComment,
  readBody,
} from './forge-apis';

/** A user's token on the peer, derived from its password: tests compute it, nothing is stored. */
export function peerUserToken(password: string, login: string): string {
  return crypto
    .createHmac('sha256', password)
    .update(`user:${login}`)
    .digest('hex')
    .slice(0, 40);
}

export interface GitServer {
  baseUrl: string; // http://127.0.0.1:<port>/  (repo URL = baseUrl + '<name>.git')
  root: string;
  user: string;
  password: string;
  close(): Promise<void>;
}

function gitExec(args: string[], cwd?: string) {
  execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], {
    cwd,
    stdio: 'pipe',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'peers',
      GIT_AUTHOR_EMAIL: 'peers@example.invalid',
      GIT_COMMITTER_NAME: 'peers',
      GIT_COMMITTER_EMAIL: 'peers@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

/** Creates <root>/<name>.git (bare) with one initial commit on `main`. Returns the repo dir. */
export function createBareRepoAt(
  root: string,
  name: string,
  files: Record<string, string> = {},
): string {
  if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.includes('..'))
    throw new Error(`bad repo name ${name}`);
  const bare = path.join(root, `${name}.git`);
  if (fs.existsSync(bare)) throw new Error(`repository ${name} already exists`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  gitExec(['init', '--bare', '-b', 'main', bare]);
  gitExec(['config', 'http.receivepack', 'true'], bare);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'peers-git-init-'));
  try {
    gitExec(['init', '-b', 'main', work]);
    const content = Object.keys(files).length
      ? files
      : { 'README.md': `# ${name}\n` };
    for (const [f, text] of Object.entries(content)) {
      fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
      fs.writeFileSync(path.join(work, f), text);
    }
    gitExec(['add', '-A'], work);
    gitExec(['commit', '-q', '-m', 'Initial commit'], work);
    gitExec(['push', '-q', bare, 'main:main'], work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return bare;
}

/** A pull request as Gitea's API returns it (the fields clients read). */
interface PullRequest {
  id: number;
  number: number;
  url: string;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  body: string;
  head: { label: string; ref: string; sha: string };
  base: { label: string; ref: string; sha: string };
  merged: boolean;
  created_at: string;
  user: { login: string };
  /** Comments, oldest first (Gitea keeps them on the pull request's issue). */
  comments: PeerComment[];
}

/**
 * The pull request API: list (state open|closed|all, page, limit) and create.
 * Gitea's shapes and status codes: 201 on create, 409 for a second open pull
 * request with the same head and base, 422 for a missing field, a head or base
 * branch that does not exist, or head = base; 404 for an unknown repository.
 */
async function handlePulls(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  root: string,
  baseUrl: string,
  store: Map<string, PullRequest[]>,
  counter: { id: number },
  login: string,
  refuseEdits: Set<string>,
) {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const fail = (status: number, message: string) =>
    send(status, { message, url: `${baseUrl}api/swagger` });
  const m =
    /^\/api\/v1\/repos\/([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)\/(?:pulls|(?:pulls|issues)\/(\d+)(\/comments)?)\/?$/.exec(
      url.pathname,
    );
  if (!m || m[1].startsWith('.') || m[2].startsWith('.')) {
    req.resume();
    fail(404, 'not found');
    return;
  }
  const [owner, repo] = [m[1], m[2]];
  const bare = path.join(root, owner, `${repo}.git`);
  if (!fs.existsSync(bare)) {
    req.resume();
    fail(404, 'repository does not exist');
    return;
  }
  const key = `${owner}/${repo}`;
  const pulls = store.get(key) ?? [];
  store.set(key, pulls);

  if (m[3]) {
    // One pull request: PATCH /pulls/{n} (state closed, title, body), GET and POST /issues/{n}/comments.
    const pull = pulls.find(p => p.number === Number(m[3]));
    let input: { state?: unknown; title?: unknown; body?: unknown } | undefined;
    try {
      input = JSON.parse((await readBody(req)) || '{}');
    } catch {
      input = undefined;
    }
    if (!pull || !input) {
      fail(pull ? 422 : 404, pull ? 'request body must be JSON' : 'not found');
    } else if (
      m[4] &&
      req.method === 'POST' &&
      url.pathname.includes('/issues/')
    ) {
      send(201, postComment(pull.comments, String(input.body ?? '')));
    } else if (
      m[4] &&
      req.method === 'GET' &&
      url.pathname.includes('/issues/')
    ) {
      // Gitea answers every comment of an issue at once: its API has no page here.
      send(200, pull.comments);
    } else if (
      !m[4] &&
      req.method === 'PATCH' &&
      url.pathname.includes('/pulls/')
    ) {
      const { title, body } = input;
      const close = input.state === 'closed';
      const retitle = typeof title === 'string' || typeof body === 'string';
      if ((close || retitle) && refuseEdits.has(key)) {
        fail(403, 'user does not have permission to edit this pull request');
        return;
      }
      if (typeof title === 'string') pull.title = title;
      if (typeof body === 'string') pull.body = body;
      if (close) pull.state = 'closed';
      send(201, pull);
    } else fail(405, 'method not allowed');
    return;
  }
  if (req.method === 'GET') {
    req.resume();
    const state = url.searchParams.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) {
      fail(422, 'state must be open, closed or all');
      return;
    }
    const limit = Math.max(
      1,
      Math.min(50, parseInt(url.searchParams.get('limit') ?? '30', 10) || 30),
    );
    const page = Math.max(
      1,
      parseInt(url.searchParams.get('page') ?? '1', 10) || 1,
    );
    await closeMergedPulls(bare, pulls);
    const selected = pulls
      .filter(p => state === 'all' || p.state === state)
      .sort((a, b) => b.number - a.number);
    send(200, selected.slice((page - 1) * limit, page * limit));
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    fail(405, 'method not allowed');
    return;
  }
  let input: {
    head?: unknown;
    base?: unknown;
    title?: unknown;
    body?: unknown;
  };
  try {
    input = JSON.parse(await readBody(req));
  } catch {
    fail(422, 'request body must be JSON');
    return;
  }
  if (!hasPullFields(input)) {
    fail(422, 'head, base and title are required');
    return;
  }
  const { head, base, title } = input;
  if (head === base) {
    fail(422, 'head and base must be different branches');
    return;
  }
  const [headSha, baseSha] = await Promise.all([
    branchSha(bare, head),
    branchSha(bare, base),
  ]);
  if (!headSha || !baseSha) {
    fail(422, `branch ${!headSha ? head : base} does not exist`);
    return;
  }
  const existing = pulls.find(
    p => p.state === 'open' && p.head.ref === head && p.base.ref === base,
  );
  if (existing) {
    fail(
      409,
      `pull request already exists for these targets [id: ${existing.id}, issue_id: ${existing.number}, head_repo_id: 0, base_repo_id: 0, head_branch: ${head}, base_branch: ${base}]`,
    );
    return;
  }
  const number = pulls.reduce((n, p) => Math.max(n, p.number), 0) + 1;
  const pull: PullRequest = {
    id: ++counter.id,
    number,
    url: `${baseUrl}${owner}/${repo}/pulls/${number}`,
    html_url: `${baseUrl}${owner}/${repo}/pulls/${number}`,
    state: 'open',
    title,
    body: typeof input.body === 'string' ? input.body : '',
    head: { label: head, ref: head, sha: headSha },
    base: { label: base, ref: base, sha: baseSha },
    merged: false,
    created_at: new Date().toISOString(),
    user: { login },
    comments: [],
  };
  pulls.push(pull);
  send(201, pull);
}

/**
 * A pull request whose head branch is contained in its base (merged by a
 * push, as the tests' merge does) is marked merged and closed, as GitHub does
 * and Gitea with its manual-merge detection (`AutodetectManualMerge`).
 */
async function closeMergedPulls(bare: string, pulls: PullRequest[]) {
  for (const pull of pulls.filter(p => p.state === 'open')) {
    const [head, base] = await Promise.all([
      branchSha(bare, pull.head.ref),
      branchSha(bare, pull.base.ref),
    ]);
    // A head still where its base was when opened has nothing to merge yet.
    if (
      head &&
      base &&
      head !== pull.base.sha &&
      (await isAncestor(bare, head, base))
    ) {
      pull.state = 'closed';
      pull.merged = true;
    }
  }
}

function isAncestor(bare: string, commit: string, of: string) {
  return new Promise<boolean>(resolve => {
    execFile(
      'git',
      ['--git-dir', bare, 'merge-base', '--is-ancestor', commit, of],
      { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: bare } },
      error => resolve(!error),
    );
  });
}

export async function startGitServer(
  root: string,
  user = 'peers',
  password?: string,
): Promise<GitServer> {
  fs.mkdirSync(root, { recursive: true });
  const pass = password ?? crypto.randomBytes(12).toString('hex');
  // Every secret the peer takes, and whose it is: its own password, and each user's token.
  const secrets = new Map<string, string>([[pass, user]]);
  for (const login of PEER_USERS)
    if (login !== user) secrets.set(peerUserToken(pass, login), login);
  const loginOf = (secret: string | undefined) => {
    for (const [known, login] of secrets) {
      if (
        secret !== undefined &&
        secret.length === known.length &&
        crypto.timingSafeEqual(Buffer.from(secret), Buffer.from(known))
      )
        return login;
    }
    return undefined;
  };
  /** Basic auth (the peer's user with its password, or any name with a token), `token`/`Bearer` or GitLab's PRIVATE-TOKEN. */
  const identify = (req: http.IncomingMessage): string | undefined => {
    const auth = req.headers.authorization ?? '';
    const [scheme, value = ''] = auth.split(' ', 2);
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const [name, secret] = [
        decoded.slice(0, colon),
        decoded.slice(colon + 1),
      ];
      // Any user name with a token (x-access-token, oauth2), as the forges take them.
      return name && colon > 0 ? loginOf(secret) : undefined;
    }
    if (/^(token|bearer)$/i.test(scheme)) return loginOf(value);
    const privateToken = req.headers['private-token'];
    return typeof privateToken === 'string' ? loginOf(privateToken) : undefined;
  };
  const pulls = new Map<string, PullRequest[]>();
  const forgePulls: ForgeContext['pulls'] = new Map();
  const refuseEdits = new Set<string>();
  const deleteOnPage = new Map<string, CommentDeletion>();
  const pushes: Array<{ repository: string; login: string }> = [];
  const counter = { id: 0 };
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const login = identify(req);
    if (!login) {
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="peers git"',
        'content-type': 'text/plain',
      });
      res.end('authentication required\n');
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/_peer/pushes' && login === user) {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(pushes));
      return;
    }
    // What a repository's pull requests are (title, description, state, comments), whichever API opened them.
    if (url.pathname === '/_peer/pulls' && login === user) {
      req.resume();
      const key = url.searchParams.get('repository') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify([
          ...(pulls.get(key) ?? []).map(p => ({
            number: p.number,
            title: p.title,
            body: p.body,
            state: p.state,
            comments: p.comments.map(c => c.body),
          })),
          ...peerPulls({ pulls: forgePulls }, key),
        ]),
      );
      return;
    }
    // POST ?repository=owner/repo&refuse=1|0: closing or retitling its pull requests is refused (403) or allowed again.
    if (url.pathname === '/_peer/refuse-edits' && login === user) {
      req.resume();
      const key = url.searchParams.get('repository') ?? '';
      if (url.searchParams.get('refuse') === '1') refuseEdits.add(key);
      else refuseEdits.delete(key);
      res.writeHead(204);
      res.end();
      return;
    }
    // POST ?repository=owner/repo&number=N&count=C: C comments by others on pull request N, whichever API opened it.
    if (url.pathname === '/_peer/comments' && login === user) {
      req.resume();
      const key = url.searchParams.get('repository') ?? '';
      const number = Number(url.searchParams.get('number'));
      const count = Math.min(5000, Number(url.searchParams.get('count')) || 0);
      const pull = [
        ...(pulls.get(key) ?? []),
        ...(forgePulls.get(key) ?? []),
      ].find(p => p.number === number);
      if (!pull) {
        res.writeHead(404);
        res.end();
        return;
      }
      const from = pull.comments.length;
      for (let i = 1; i <= count; i++)
        postComment(pull.comments, `Comment ${from + i} by a reviewer`);
      res.writeHead(204);
      res.end();
      return;
    }
    // POST ?repository=owner/repo&number=N&page=P: once page P of pull request N's comments is next served (GitHub, GitLab), its first comment is deleted.
    if (url.pathname === '/_peer/delete-comment-on-page' && login === user) {
      req.resume();
      const key = url.searchParams.get('repository') ?? '';
      const number = Number(url.searchParams.get('number'));
      const page = Number(url.searchParams.get('page'));
      if (!Number.isInteger(number) || !Number.isInteger(page) || page < 1) {
        res.writeHead(400);
        res.end();
        return;
      }
      deleteOnPage.set(key, { number, page });
      res.writeHead(204);
      res.end();
      return;
    }
    const forge =
      (url.pathname.startsWith('/api/v3/') && handleGithub) ||
      (url.pathname.startsWith('/api/v4/') && handleGitlab) ||
      (isAzureApi(url.pathname) && handleAzure);
    if (forge) {
      forge(req, res, url, {
        root,
        baseUrl,
        login,
        pulls: forgePulls,
        refuseEdits,
        deleteOnPage,
      }).catch(error => {
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`forge API failed: ${error}`);
      });
      return;
    }
    // Azure DevOps clone URLs (/<organization>/<project>/_git/<repository>) name a bare repository like any other.
    const gitPath = azureGitPath(url.pathname) ?? url.pathname;
    if (gitPath.endsWith('/git-receive-pack') && req.method === 'POST') {
      pushes.push({
        repository: gitPath
          .replace(/^\//, '')
          .replace(/\.git\/git-receive-pack$/, ''),
        login,
      });
    }
    if (url.pathname.startsWith('/api/')) {
      handlePulls(
        req,
        res,
        url,
        root,
        baseUrl,
        pulls,
        counter,
        login,
        refuseEdits,
      ).catch(error => {
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`pull request API failed: ${error}`);
      });
      return;
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(gitPath),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: login,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
    };
    if (req.headers['content-length'])
      env.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding'])
      env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    if (req.headers['git-protocol'])
      env.GIT_PROTOCOL = String(req.headers['git-protocol']);

    const cgi = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => undefined);
    let stderr = '';
    cgi.stderr.on('data', d => (stderr += d));
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      let idx = head.indexOf('\r\n\r\n');
      let sepLen = 4;
      if (idx < 0) {
        idx = head.indexOf('\n\n');
        sepLen = 2;
      }
      if (idx < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head
        .subarray(0, idx)
        .toString('latin1')
        .split(/\r?\n/)) {
        const c = line.indexOf(':');
        if (c < 0) continue;
        const k = line.slice(0, c).trim();
        const v = line.slice(c + 1).trim();
        if (k.toLowerCase() === 'status') status = parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(idx + sepLen));
    });
    cgi.on('close', code => {
      if (!headersDone) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`git http-backend failed (${code}): ${stderr}`);
      } else res.end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${port}/`;
  return {
    baseUrl,
    root,
    user,
    password: pass,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
