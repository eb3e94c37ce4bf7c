/**
 * Git peer: Debian's git, smart HTTP. A small Node HTTP server on loopback
 * checks basic auth and runs `git http-backend` (CGI) for every request,
 * serving the bare repositories under one temp directory.
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './cache';

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
export function createBareRepoAt(root: string, name: string, files: Record<string, string> = {}): string {
  if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.includes('..')) throw new Error(`bad repo name ${name}`);
  const bare = path.join(root, `${name}.git`);
  if (fs.existsSync(bare)) throw new Error(`repository ${name} already exists`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  gitExec(['init', '--bare', '-b', 'main', bare]);
  gitExec(['config', 'http.receivepack', 'true'], bare);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'peers-git-init-'));
  try {
    gitExec(['init', '-b', 'main', work]);
    const content = Object.keys(files).length ? files : { 'README.md': `# ${name}\n` };
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

export async function startGitServer(root: string, user = 'peers', password?: string): Promise<GitServer> {
  fs.mkdirSync(root, { recursive: true });
  const pass = password ?? crypto.randomBytes(12).toString('hex');
  const expected = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const ok =
      auth.length === expected.length && crypto.timingSafeEqual(Buffer.from(auth), Buffer.from(expected));
    if (!ok) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="peers git"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);

    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
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
      for (const line of head.subarray(0, idx).toString('latin1').split(/\r?\n/)) {
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
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
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
