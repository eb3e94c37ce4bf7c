/**
 * The GitHub REST subset `@octokit/rest` uses (under /api/v3, GitHub
 * Enterprise style), the GitLab v4 subset `@gitbeaker/rest` uses (under
 * /api/v4) and the Azure DevOps Git subset `azure-devops-node-api` uses
 * (/<organization>/<project>/_apis/git/…, with the location discovery it
 * makes first), answered by the git peer over the same bare repositories (ours,
 * see test/README.md). Each pull request records the login of the
 * credential that opened it, so tests can tell the user's token from the
 * portal's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** Users the peer knows besides its own basic-auth user, with GitLab-style ids. */
export const PEER_USERS = ['peers', 'alice', 'bob'] as const;

/** One pull request, whichever API opened it. */
interface PeerPull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  headSha: string;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  user: string;
  /** Closed without a merge (GitHub/GitLab close, Azure DevOps abandon). */
  state: 'open' | 'closed';
  /** Comments, oldest first. */
  comments: PeerComment[];
}

/** A comment with its id, kept when comments before it are deleted (as every forge's are). */
export interface PeerComment {
  id: number;
  body: string;
}

/** Comment ids are the peer's, unique across its pull requests, never reused (as GitHub's). */
let lastCommentId = 0;

/** Posts a comment at the end of `comments`; the comment as the forges answer it. */
export function postComment(comments: PeerComment[], body: string) {
  const comment = { id: ++lastCommentId, body };
  comments.push(comment);
  return comment;
}

export interface ForgeContext {
  root: string;
  baseUrl: string;
  /** The login of the request's credential (already authenticated). */
  login: string;
  pulls: Map<string, PeerPull[]>;
  /** Repositories (owner/repo) whose pull requests may not be closed or retitled: 403, as a host refusing the credentials would. */
  refuseEdits: Set<string>;
  /** By repository (owner/repo): when that page of that pull request's comments is served, its first comment is deleted, once. */
  deleteOnPage: Map<string, CommentDeletion>;
}

/** A deletion of a comment while a client reads the comments, page after page (GitHub, GitLab). */
export interface CommentDeletion {
  number: number;
  page: number;
}

export function branchSha(
  bare: string,
  branch: string,
): Promise<string | undefined> {
  return new Promise(resolve => {
    execFile(
      'git',
      [
        '--git-dir',
        bare,
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}^{commit}`,
      ],
      { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: bare } },
      (error, stdout) => resolve(error ? undefined : stdout.trim()),
    );
  });
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', d => (body += d));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The bare repository of owner/repo (owner may be org/project), when all are plain names and it exists. */
function repository(ctx: ForgeContext, owner: string, repo: string) {
  if (![...owner.split('/'), repo].every(s => SEGMENT.test(s)))
    return undefined;
  const bare = path.join(ctx.root, owner, `${repo}.git`);
  if (!fs.existsSync(bare)) return undefined;
  const key = `${owner}/${repo}`;
  if (!ctx.pulls.has(key)) ctx.pulls.set(key, []);
  return { bare, key, list: ctx.pulls.get(key)! };
}

async function jsonBody(req: http.IncomingMessage): Promise<any> {
  try {
    return JSON.parse((await readBody(req)) || '{}');
  } catch {
    return undefined;
  }
}

/** Whether a new pull request names its head, base and title, as every forge requires. */
export function hasPullFields<
  T extends { head?: unknown; base?: unknown; title?: unknown },
>(input: T): input is T & { head: string; base: string; title: string } {
  return [input.head, input.base, input.title].every(
    v => typeof v === 'string' && v.length > 0,
  );
}

/** Opens a pull request after the checks both forges make; an error status and message otherwise. */
async function openPull(
  ctx: ForgeContext,
  repo: NonNullable<ReturnType<typeof repository>>,
  input: { head: unknown; base: unknown; title: unknown; body?: unknown },
  extra: Partial<PeerPull>,
): Promise<{ pull: PeerPull } | { status: number; message: string }> {
  if (!hasPullFields(input) || input.head === input.base) {
    return { status: 422, message: 'head, base and title are required' };
  }
  const { head, base, title } = input;

  const [headSha, baseSha] = await Promise.all([
    branchSha(repo.bare, input.head as string),
    branchSha(repo.bare, input.base as string),
  ]);
  if (!headSha || !baseSha)
    return { status: 422, message: `branch ${headSha ? base : head} missing` };
  const open = repo.list.find(
    p => p.state === 'open' && p.head === head && p.base === base,
  );
  if (open) return { status: 409, message: String(open.number) };
  const pull: PeerPull = {
    number: repo.list.length + 1,
    title,
    body: typeof input.body === 'string' ? input.body : '',
    head,
    base,
    headSha,
    draft: false,
    labels: [],
    reviewers: [],
    user: ctx.login,
    state: 'open',
    comments: [],
    ...extra,
  };
  repo.list.push(pull);
  return { pull };
}

/**
 * One page of a pull request's comments as `{ id, body }` (`per_page` is the
 * page size, pages are offsets into the list as GitHub's and GitLab's are),
 * oldest first, or newest first when `newestFirst`. When the test asked for
 * it (`deleteOnPage`), the page's first comment is deleted once it is served.
 */
function commentPage(
  ctx: ForgeContext,
  key: string,
  pull: PeerPull,
  url: URL,
  newestFirst = false,
): PeerComment[] {
  const size = Math.max(
    1,
    Math.min(100, Number(url.searchParams.get('per_page')) || 30),
  );
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const ordered = newestFirst ? [...pull.comments].reverse() : pull.comments;
  const served = ordered.slice((page - 1) * size, page * size);
  const deletion = ctx.deleteOnPage.get(key);
  if (
    deletion?.number === pull.number &&
    deletion.page === page &&
    served.length > 0
  ) {
    ctx.deleteOnPage.delete(key);
    pull.comments = pull.comments.filter(c => c.id !== served[0].id);
  }
  return served;
}

/**
 * Closes a pull request and sets its title and description, as asked (each
 * only when given); refused (403, false) like a close for a repository whose
 * edits are refused.
 */
function editPull(
  ctx: ForgeContext,
  key: string,
  res: http.ServerResponse,
  pull: PeerPull,
  edit: { close: boolean; title?: unknown; body?: unknown },
): boolean {
  const { title, body } = edit;
  const retitled = typeof title === 'string' || typeof body === 'string';
  if ((edit.close || retitled) && !editAllowed(ctx, key, res)) return false;
  if (typeof title === 'string') pull.title = title;
  if (typeof body === 'string') pull.body = body;
  if (edit.close) pull.state = 'closed';
  return true;
}

/** Whether the repository's pull requests may be closed or retitled; else answers 403 and says false. */
function editAllowed(
  ctx: ForgeContext,
  key: string,
  res: http.ServerResponse,
): boolean {
  if (!ctx.refuseEdits.has(key)) return true;
  send(res, 403, { message: 'Resource not accessible by integration' });
  return false;
}

/** What the peer holds of a repository's pull requests, for tests (GET /_peer/pulls?repository=owner/repo). */
export function peerPulls(ctx: Pick<ForgeContext, 'pulls'>, key: string) {
  return (ctx.pulls.get(key) ?? []).map(p => ({
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state,
    comments: p.comments.map(c => c.body),
  }));
}

const known = (login: unknown) =>
  typeof login === 'string' &&
  (PEER_USERS as readonly string[]).includes(login);

/** GitHub's REST API: list, create, request reviewers, add labels. */
export async function handleGithub(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  ctx: ForgeContext,
): Promise<void> {
  const m =
    /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/(pulls|issues)(?:\/(\d+)(?:\/(requested_reviewers|labels|comments))?)?\/?$/.exec(
      url.pathname,
    );
  const repo = m && repository(ctx, m[1], m[2]);
  if (!m || !repo) {
    req.resume();
    send(res, 404, { message: 'Not Found' });
    return;
  }
  const [owner, name] = [m[1], m[2]];
  const view = (p: PeerPull) => ({
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    draft: p.draft,
    html_url: `${ctx.baseUrl}${owner}/${name}/pull/${p.number}`,
    head: { ref: p.head, label: `${owner}:${p.head}`, sha: p.headSha },
    base: { ref: p.base, label: `${owner}:${p.base}` },
    user: { login: p.user },
    labels: p.labels.map(l => ({ name: l })),
    requested_reviewers: p.reviewers.map(login => ({ login })),
  });
  if (!m[4] && m[3] === 'pulls' && req.method === 'GET') {
    req.resume();
    const head = url.searchParams.get('head');
    const base = url.searchParams.get('base');
    const state = url.searchParams.get('state') ?? 'open';
    send(
      res,
      200,
      repo.list
        .filter(
          p =>
            (!head || `${owner}:${p.head}` === head) &&
            (!base || p.base === base) &&
            (state === 'all' || p.state === state),
        )
        .map(view),
    );
    return;
  }
  const input = await jsonBody(req);
  if (m[4] && !m[5] && m[3] === 'pulls' && req.method === 'PATCH' && input) {
    const pull = repo.list.find(p => p.number === Number(m[4]));
    if (!pull) send(res, 404, { message: 'Not Found' });
    else if (
      editPull(ctx, repo.key, res, pull, {
        close: input.state === 'closed',
        title: input.title,
        body: input.body,
      })
    )
      send(res, 200, view(pull));
    return;
  }
  if (m[4] && m[5] === 'comments' && req.method === 'GET') {
    const pull = repo.list.find(p => p.number === Number(m[4]));
    if (!pull) send(res, 404, { message: 'Not Found' });
    else send(res, 200, commentPage(ctx, repo.key, pull, url));
    return;
  }
  if (req.method !== 'POST' || !input) {
    send(res, 422, { message: 'Problems parsing JSON' });
    return;
  }
  if (!m[4]) {
    const opened = await openPull(ctx, repo, input, {
      draft: input.draft === true,
    });
    if ('pull' in opened) send(res, 201, view(opened.pull));
    else
      send(res, 422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message:
              opened.status === 409
                ? `A pull request already exists for ${owner}:${input.head}.`
                : opened.message,
          },
        ],
      });
    return;
  }
  const pull = repo.list.find(p => p.number === Number(m[4]));
  if (!pull) {
    send(res, 404, { message: 'Not Found' });
    return;
  }
  if (m[5] === 'requested_reviewers') {
    const reviewers: unknown[] = input.reviewers ?? [];
    if (!reviewers.every(known)) {
      send(res, 422, {
        message:
          'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator.',
      });
      return;
    }
    pull.reviewers = [
      ...new Set([...pull.reviewers, ...(reviewers as string[])]),
    ];
    send(res, 201, view(pull));
    return;
  }
  if (m[5] === 'comments') {
    send(res, 201, postComment(pull.comments, String(input.body ?? '')));
    return;
  }
  const labels: unknown[] = input.labels ?? [];
  pull.labels = [
    ...new Set([
      ...pull.labels,
      ...labels.filter((l): l is string => typeof l === 'string'),
    ]),
  ];
  send(
    res,
    200,
    pull.labels.map(l => ({ name: l })),
  );
}

/** GitLab's v4 API: users by name, list, create and edit merge requests. */
export async function handleGitlab(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  ctx: ForgeContext,
): Promise<void> {
  const userOf = (login: string) => ({
    id: PEER_USERS.indexOf(login as (typeof PEER_USERS)[number]) + 1,
    username: login,
  });
  if (url.pathname === '/api/v4/users' && req.method === 'GET') {
    req.resume();
    const username = url.searchParams.get('username');
    send(res, 200, known(username) ? [userOf(username!)] : []);
    return;
  }
  // The project id is the URL-encoded path: group%2Fproject.
  const m =
    /^\/api\/v4\/projects\/([^/]+)\/merge_requests(?:\/(\d+)(\/notes)?)?\/?$/.exec(
      url.pathname,
    );
  const parts = m ? decodeURIComponent(m[1]).split('/') : [];
  const repo =
    parts.length === 2 ? repository(ctx, parts[0], parts[1]) : undefined;
  if (!m || !repo) {
    req.resume();
    send(res, 404, { message: '404 Project Not Found' });
    return;
  }
  const view = (p: PeerPull) => ({
    id: p.number + 1000,
    iid: p.number,
    state: p.state === 'open' ? 'opened' : 'closed',
    title: p.title,
    description: p.body,
    draft: p.draft,
    source_branch: p.head,
    target_branch: p.base,
    sha: p.headSha,
    web_url: `${ctx.baseUrl}${parts.join('/')}/-/merge_requests/${p.number}`,
    labels: p.labels,
    reviewers: p.reviewers.map(userOf),
    author: userOf(p.user),
  });
  if (!m[2] && req.method === 'GET') {
    req.resume();
    const source = url.searchParams.get('source_branch');
    const target = url.searchParams.get('target_branch');
    const state = url.searchParams.get('state') ?? 'all';
    send(
      res,
      200,
      repo.list
        .filter(
          p =>
            (!source || p.head === source) &&
            (!target || p.base === target) &&
            (state === 'all' || view(p).state === state),
        )
        .map(view),
    );
    return;
  }
  const input = await jsonBody(req);
  if (!input) {
    send(res, 400, { message: 'body must be JSON' });
    return;
  }
  const byId = (ids: unknown) =>
    (Array.isArray(ids) ? ids : [])
      .map(id => PEER_USERS[Number(id) - 1])
      .filter(Boolean) as string[];
  const labelList = (text: unknown) =>
    typeof text === 'string' ? text.split(',').filter(Boolean) : [];
  if (!m[2] && req.method === 'POST') {
    const title = typeof input.title === 'string' ? input.title : '';
    const opened = await openPull(
      ctx,
      repo,
      {
        head: input.source_branch,
        base: input.target_branch,
        title: input.title,
        body: input.description,
      },
      {
        draft: /^(draft:|\[draft\])/i.test(title),
        labels: labelList(input.labels),
        reviewers: byId(input.reviewer_ids),
      },
    );
    if ('pull' in opened) send(res, 201, view(opened.pull));
    else if (opened.status === 409)
      send(res, 409, {
        message: [
          `Another open merge request already exists for this source branch: !${opened.message}`,
        ],
      });
    else send(res, 422, { message: [opened.message] });
    return;
  }
  const pull = repo.list.find(p => p.number === Number(m[2]));
  if (pull && m[3] && req.method === 'POST') {
    send(res, 201, postComment(pull.comments, String(input.body ?? '')));
    return;
  }
  if (pull && m[3] && req.method === 'GET') {
    // GitLab lists notes newest first unless asked `sort=asc`.
    send(
      res,
      200,
      commentPage(
        ctx,
        repo.key,
        pull,
        url,
        url.searchParams.get('sort') !== 'asc',
      ),
    );
    return;
  }
  if (!pull || m[3] || req.method !== 'PUT') {
    send(res, 404, { message: '404 Not found' });
    return;
  }
  if (
    !editPull(ctx, repo.key, res, pull, {
      close: input.state_event === 'close',
      title: input.title,
      body: input.description,
    })
  )
    return;
  pull.labels = [...new Set([...pull.labels, ...labelList(input.add_labels)])];
  if (input.reviewer_ids) pull.reviewers = byId(input.reviewer_ids);
  send(res, 200, view(pull));
}

/** The peer users' Azure DevOps identity ids (reviewers are added by id). */
export function peerUserId(login: (typeof PEER_USERS)[number]): string {
  return `00000000-0000-4000-8000-${String(
    PEER_USERS.indexOf(login) + 1,
  ).padStart(12, '0')}`;
}

/** Where Azure DevOps keeps a repository's clone URL: /<organization>/<project>/_git/<repository>, as a bare repository's path. */
export function azureGitPath(pathname: string): string | undefined {
  const m = /^\/([^/]+)\/([^/]+)\/_git\/([^/]+)(\/.*)?$/.exec(pathname);
  return m ? `/${m[1]}/${m[2]}/${m[3]}.git${m[4] ?? ''}` : undefined;
}

/** Whether a request is for the Azure DevOps API (/<organization>[/<project>]/_apis/…). */
export const isAzureApi = (pathname: string) =>
  /^\/[^/]+(?:\/[^/]+)?\/_apis(?:\/|$)/.test(pathname);

/** The Git area's resource locations the client discovers (OPTIONS /<organization>/_apis/git), as Azure DevOps names them. */
const AZURE_GIT_LOCATIONS = [
  {
    id: '9946fd70-0d40-406e-b686-b4744cbbcc37',
    resourceName: 'pullRequests',
    routeTemplate:
      '{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{pullRequestId}',
  },
  {
    id: '4b6702c7-aa35-4b89-9c96-b9abf6d3e540',
    resourceName: 'reviewers',
    routeTemplate:
      '{project}/_apis/{area}/repositories/{repositoryId}/pullRequests/{pullRequestId}/{resource}/{reviewerId}',
  },
  {
    id: 'ab6e2e5d-a0b7-4153-b64a-a4efe0d49449',
    resourceName: 'threads',
    routeTemplate:
      '{project}/_apis/{area}/repositories/{repositoryId}/pullRequests/{pullRequestId}/{resource}/{threadId}',
  },
  {
    id: 'f22387e3-984e-4c52-9c6d-fbb8f14c812d',
    resourceName: 'labels',
    routeTemplate:
      '{project}/_apis/{area}/repositories/{repositoryId}/pullRequests/{pullRequestId}/{resource}/{labelIdOrName}',
  },
].map(l => ({
  ...l,
  area: 'git',
  resourceVersion: 2,
  minVersion: '1.0',
  maxVersion: '7.2',
  releasedVersion: '7.1',
}));

/** Azure DevOps' Git API: location discovery, list and create pull requests, add a reviewer by id, add a label. */
export async function handleAzure(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  ctx: ForgeContext,
): Promise<void> {
  // An organization named moved-* answers every API call with a redirect elsewhere, as a hostile server could.
  if (/^\/moved-[^/]+\/_apis\//.test(url.pathname)) {
    req.resume();
    res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere/_apis/git' });
    res.end();
    return;
  }
  if (
    req.method === 'OPTIONS' &&
    /^\/[^/]+\/_apis\/git\/?$/.test(url.pathname)
  ) {
    req.resume();
    send(res, 200, {
      count: AZURE_GIT_LOCATIONS.length,
      value: AZURE_GIT_LOCATIONS,
    });
    return;
  }
  const m =
    /^\/([^/]+)\/([^/]+)\/_apis\/git\/repositories\/([^/]+)\/pullRequests(?:\/(\d+)(?:\/(reviewers|labels|threads)(?:\/([^/]+))?)?)?\/?$/.exec(
      url.pathname,
    );
  const repo =
    m && repository(ctx, `${m[1]}/${m[2]}`, decodeURIComponent(m[3]));
  if (!m || !repo) {
    req.resume();
    send(res, 404, {
      message: 'TF401019: The Git repository does not exist.',
      typeKey: 'GitRepositoryNotFoundException',
    });
    return;
  }
  const web = `${ctx.baseUrl}${m[1]}/${m[2]}/_git/${m[3]}`;
  const identity = (login: string) => ({
    id: peerUserId(login as (typeof PEER_USERS)[number]),
    uniqueName: login,
    displayName: login,
  });
  const ref = (branch: string) => `refs/heads/${branch}`;
  const view = (p: PeerPull) => ({
    pullRequestId: p.number,
    status: p.state === 'open' ? 'active' : 'abandoned',
    title: p.title,
    description: p.body,
    isDraft: p.draft,
    sourceRefName: ref(p.head),
    targetRefName: ref(p.base),
    createdBy: identity(p.user),
    reviewers: p.reviewers.map(login => ({ ...identity(login), vote: 0 })),
    labels: p.labels.map(name => ({ id: name, name, active: true })),
    url: `${web}/pullrequest/${p.number}`,
  });
  if (!m[4] && req.method === 'GET') {
    req.resume();
    const source = url.searchParams.get('searchCriteria.sourceRefName');
    const target = url.searchParams.get('searchCriteria.targetRefName');
    // The status enum, by number (1 active, 2 abandoned, 4 all) or by name.
    const status =
      ({ 1: 'active', 2: 'abandoned', 4: 'all' } as Record<string, string>)[
        url.searchParams.get('searchCriteria.status') ?? ''
      ] ??
      url.searchParams.get('searchCriteria.status') ??
      'active';
    const list = repo.list
      .map(view)
      .filter(
        p =>
          (!source || p.sourceRefName === source) &&
          (!target || p.targetRefName === target) &&
          (status === 'all' || p.status === status),
      );
    send(res, 200, { count: list.length, value: list });
    return;
  }
  const input = await jsonBody(req);
  if (!input) {
    send(res, 400, { message: 'body must be JSON' });
    return;
  }
  const branchOf = (name: unknown) =>
    typeof name === 'string' && name.startsWith('refs/heads/')
      ? name.slice('refs/heads/'.length)
      : undefined;
  if (!m[4] && req.method === 'POST') {
    const opened = await openPull(
      ctx,
      repo,
      {
        head: branchOf(input.sourceRefName),
        base: branchOf(input.targetRefName),
        title: input.title,
        body: input.description,
      },
      { draft: input.isDraft === true },
    );
    if ('pull' in opened) send(res, 201, view(opened.pull));
    else
      send(res, opened.status === 409 ? 409 : 400, {
        message:
          opened.status === 409
            ? `TF401179: An active pull request for the source and target branch already exists.`
            : opened.message,
      });
    return;
  }
  const pull = repo.list.find(p => p.number === Number(m[4]));
  if (!pull) {
    send(res, 404, {
      message: 'TF401180: The requested pull request was not found.',
    });
    return;
  }
  if (m[5] === 'reviewers' && req.method === 'PUT' && m[6]) {
    const login = PEER_USERS.find(u => peerUserId(u) === m[6].toLowerCase());
    if (!login) {
      send(res, 400, {
        message: `The identity ${m[6]} could not be found.`,
      });
      return;
    }
    pull.reviewers = [...new Set([...pull.reviewers, login])];
    send(res, 200, { ...identity(login), vote: 0 });
    return;
  }
  if (!m[5] && req.method === 'PATCH') {
    if (
      editPull(ctx, repo.key, res, pull, {
        close: input.status === 2 || input.status === 'abandoned',
        title: input.title,
        body: input.description,
      })
    )
      send(res, 200, view(pull));
    return;
  }
  if (m[5] === 'threads' && req.method === 'GET' && !m[6]) {
    // One thread per comment: the portal posts one comment per thread.
    const value = pull.comments.map(c => ({
      id: c.id,
      comments: [{ id: 1, content: c.body }],
    }));
    send(res, 200, { count: value.length, value });
    return;
  }
  if (m[5] === 'threads' && req.method === 'POST' && !m[6]) {
    const comments: Array<{ content?: unknown }> = Array.isArray(input.comments)
      ? input.comments
      : [];
    const posted = comments.map(c =>
      postComment(pull.comments, String(c?.content ?? '')),
    );
    send(res, 200, {
      id: posted.at(-1)?.id ?? 0,
      comments,
      status: input.status,
    });
    return;
  }
  if (m[5] === 'labels' && req.method === 'POST' && !m[6]) {
    const name = typeof input.name === 'string' ? input.name : '';
    if (!name) {
      send(res, 400, { message: 'name is required' });
      return;
    }
    pull.labels = [...new Set([...pull.labels, name])];
    send(res, 200, { id: name, name, active: true });
    return;
  }
  send(res, 405, { message: 'method not allowed' });
}
