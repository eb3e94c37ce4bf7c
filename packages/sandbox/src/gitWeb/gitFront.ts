/**
 * The sandbox's git server as the portal and a browser see it: a loopback
 * front that serves a read-only commit page at Gitea's address,
 * GET /<owner>/<repo>/commit/<sha> (the link the portal's GitOps step
 * produces for a Gitea integration), and passes every other request — git's
 * smart HTTP, the pull request API, their authentication — to the test peers'
 * git server unchanged.
 *
 * The commit page needs no credentials, as a public Gitea repository's would
 * not: it is read-only, on loopback, and serves only the repositories it was
 * given. The request's path never reaches the file system: <owner>/<repo> only
 * selects one of those repositories, and <sha> is a full object id.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderCommitPage, COMMIT_PAGE_HEADERS } from './commitPage';
import { readCommitView } from './commitView';

/** <owner>/<repo> as sent (still percent-encoded): only ever compared with the names of the served repositories. */
const COMMIT_PATH = /^\/([^/]+)\/([^/]+)\/commit\/([0-9a-f]{40}|[0-9a-f]{64})$/;
/** An idle upstream connection is given up after this long. */
const UPSTREAM_IDLE_MS = 60_000;
const COMMIT_PAGE_DEADLINE_MS = 10_000;

export interface GitFrontOptions {
  /** The git server behind the front (http://127.0.0.1:<port>/). */
  upstream: string;
  /** The repositories that have commit pages: owner/name → bare repository directory. */
  repositories: Record<string, string>;
  log?: (message: string) => void;
}

export interface GitFront {
  /** The front's base URL (http://127.0.0.1:<port>/): repository URLs are baseUrl + owner/name.git. */
  baseUrl: string;
  close(): Promise<void>;
}

function sendText(res: http.ServerResponse, status: number, text: string) {
  res
    .writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    })
    .end(`${text}\n`);
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('deadline exceeded')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function serveCommitPage(
  res: http.ServerResponse,
  repositories: Map<string, string>,
  match: RegExpExecArray,
  headOnly: boolean,
) {
  const repository = `${match[1]}/${match[2]}`;
  const gitdir = repositories.get(repository);
  const view = gitdir
    ? await withDeadline(
        readCommitView(gitdir, match[3]),
        COMMIT_PAGE_DEADLINE_MS,
      )
    : undefined;
  if (!view) {
    sendText(res, 404, 'no such commit in a repository of this server');
    return;
  }
  res.writeHead(200, COMMIT_PAGE_HEADERS);
  res.end(headOnly ? undefined : renderCommitPage(repository, view));
}

function proxy(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upstream: URL,
  log: (message: string) => void,
) {
  const forward = http.request({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, host: upstream.host },
    timeout: UPSTREAM_IDLE_MS,
  });
  forward.on('timeout', () => forward.destroy(new Error('timed out')));
  forward.on('error', error => {
    // the error's code only: its message would name the git server's address
    log(
      `git request ${req.method} failed: ${
        (error as NodeJS.ErrnoException).code ?? error.message
      }`,
    );
    if (!res.headersSent) sendText(res, 502, 'the git server is unavailable');
    else res.destroy();
  });
  forward.on('response', answer => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.on('error', () => res.destroy());
    answer.pipe(res);
  });
  // A client that goes away cancels the upstream request.
  req.on('error', () => forward.destroy());
  res.on('close', () => {
    if (!res.writableFinished) forward.destroy();
  });
  req.pipe(forward);
}

export function startGitFront(options: GitFrontOptions): Promise<GitFront> {
  const upstream = new URL(options.upstream);
  const repositories = new Map(Object.entries(options.repositories));
  const log = options.log ?? (() => undefined);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://front.invalid');
    const match = COMMIT_PATH.exec(url.pathname);
    if (match && (req.method === 'GET' || req.method === 'HEAD')) {
      req.resume();
      serveCommitPage(res, repositories, match, req.method === 'HEAD').catch(
        error => {
          log(`commit page ${url.pathname}: ${(error as Error).message}`);
          if (!res.headersSent)
            sendText(res, 500, 'the commit could not be read');
          else res.destroy();
        },
      );
      return;
    }
    proxy(req, res, upstream, log);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () =>
          new Promise(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    );
  });
}
