/**
 * The pull request openers against a real HTTP server on loopback that
 * answers like each provider's public REST API (request shapes from their
 * docs): GitHub `POST /repos/{owner}/{repo}/pulls`, GitLab
 * `POST /projects/:id/merge_requests`, Gitea `POST /repos/{owner}/{repo}/pulls`.
 * Gitea is also exercised against the git peer in test/integration/gitops.test.ts.
 */
import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPullRequestOpener } from './pullRequests';

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body?: any;
}

type Reply = { status: number; body: unknown };

async function startApi(reply: (r: Recorded) => Reply) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', d => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const r: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        ...(raw ? { body: JSON.parse(raw) } : {}),
      };
      requests.push(r);
      const { status, body } = reply(r);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

const TOKEN = 'secret-token-never-shown';

describe('createPullRequestOpener', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let open: Array<Record<string, any>>;
  afterEach(() => api?.close());

  describe('github', () => {
    const integrations = () =>
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: api.host,
                apiBaseUrl: `http://${api.host}/api/v3`,
                token: TOKEN,
              },
            ],
          },
        }),
      );

    beforeEach(async () => {
      open = [];
      api = await startApi(r => {
        if (r.method === 'GET') {
          return {
            status: 200,
            body: open.filter(
              p =>
                `platform:${p.head.ref}` === r.query.head &&
                p.base.ref === r.query.base,
            ),
          };
        }
        if (!r.path.endsWith('/pulls')) return { status: 201, body: {} };
        const pr = {
          number: 7 + open.length,
          html_url: `https://${api.host}/platform/gitops/pull/${
            7 + open.length
          }`,
          state: 'open',
          head: { ref: r.body.head },
          base: { ref: r.body.base },
        };
        open.push(pr);
        return { status: 201, body: pr };
      });
    });

    it('opens a pull request with the documented request, then reuses it', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      expect(opener.type).toBe('github');
      const first = await opener.open({
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
        body: 'files',
      });
      expect(first).toEqual({
        number: 7,
        url: `https://${api.host}/platform/gitops/pull/7`,
        created: true,
      });
      const [list, create] = api.requests;
      expect(list).toMatchObject({
        method: 'GET',
        path: '/api/v3/repos/platform/gitops/pulls',
        query: { head: 'platform:aws-gateway/gw', base: 'main', state: 'open' },
      });
      expect(create).toMatchObject({
        method: 'POST',
        path: '/api/v3/repos/platform/gitops/pulls',
        body: {
          title: 'Add gw',
          head: 'aws-gateway/gw',
          base: 'main',
          body: 'files',
          draft: false,
        },
      });
      // octokit's request, with the integration's token.
      for (const r of [list, create]) {
        expect(r.headers).toMatchObject({
          authorization: `token ${TOKEN}`,
          accept: 'application/vnd.github.v3+json',
        });
        expect(r.headers['user-agent']).toContain('octokit');
      }
      expect(create.headers['content-type']).toMatch(/^application\/json/);

      const again = await opener.open({
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
      });
      expect(again).toEqual({ ...first, created: false });
      expect(api.requests.filter(r => r.method === 'POST')).toHaveLength(1);
      // findOpen reads the same list: the open one of this head and base only.
      expect(await opener.findOpen('aws-gateway/gw', 'main')).toEqual({
        number: first.number,
        url: first.url,
      });
      expect(
        await opener.findOpen('aws-gateway/gw', 'release'),
      ).toBeUndefined();
      expect(
        await opener.findOpen('aws-gateway/other', 'main'),
      ).toBeUndefined();
      expect(api.requests.filter(r => r.method === 'POST')).toHaveLength(1);
      // The web address is on the repository's own scheme (plain http only on loopback).
      expect(opener.previewUrl(0)).toBe(
        `http://${api.host}/platform/gitops/pull/0`,
      );
    });

    it('opens a draft, requests reviewers and adds labels; a re-run reuses it and asks again (idempotent)', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      const request = {
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
        reviewers: ['alice', 'bob'],
        labels: ['gitops', 'needs review'],
        draft: true,
      };
      const first = await opener.open(request);
      expect(first.created).toBe(true);
      const calls = api.requests.map(r => `${r.method} ${r.path}`);
      expect(calls).toEqual([
        'GET /api/v3/repos/platform/gitops/pulls',
        'POST /api/v3/repos/platform/gitops/pulls',
        'POST /api/v3/repos/platform/gitops/pulls/7/requested_reviewers',
        'POST /api/v3/repos/platform/gitops/issues/7/labels',
      ]);
      expect(api.requests[1].body.draft).toBe(true);
      expect(api.requests[2].body).toEqual({ reviewers: ['alice', 'bob'] });
      expect(api.requests[3].body).toEqual({
        labels: ['gitops', 'needs review'],
      });
      expect(await opener.open(request)).toEqual({ ...first, created: false });
      expect(api.requests.filter(r => r.path.endsWith('/pulls'))).toHaveLength(
        3,
      );
    });

    it("with the user's token: sends only it, and a 401 names token, never the secret, with no fall back", async () => {
      const USER_TOKEN = 'user-token-never-shown';
      await api.close();
      api = await startApi(() => ({
        status: 401,
        body: { message: `Bad credentials ${USER_TOKEN}` },
      }));
      const repoUrl = `http://${api.host}/platform/gitops.git`;
      const opener = await createPullRequestOpener(integrations(), repoUrl, {
        userToken: USER_TOKEN,
      });
      expect(opener.source).toBe('user');
      const error = await opener
        .open({ head: 'b', base: 'main', title: 't' })
        .catch(e => e);
      expect(error.message).toBe(
        `token: the github API for ${repoUrl} answered HTTP 401 when asked to list open pull requests: it refused the user's token; the integration's credentials were not tried instead`,
      );
      expect(JSON.stringify(error) + error.message).not.toContain(USER_TOKEN);
      expect(api.requests.map(r => r.headers.authorization)).toEqual([
        `token ${USER_TOKEN}`,
      ]);
    });

    it('refuses reviewer and label names GitHub would refuse, naming the entry, before any request', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      expect(() => opener.check({ reviewers: ['alice', '-bob'] })).toThrow(
        'reviewers[1]: "-bob" is not valid: 1–39 letters, digits and single inner hyphens (a GitHub user name)',
      );
      expect(() => opener.check({ labels: ['a,b'] })).toThrow(
        'labels[0]: "a,b" is not valid',
      );
      await expect(
        opener.open({
          head: 'b',
          base: 'main',
          title: 't',
          reviewers: ['a b'],
        }),
      ).rejects.toThrow('reviewers[0]');
      expect(api.requests).toEqual([]);
    });

    it('names repoUrl and the status, never the token, when the API refuses', async () => {
      await api.close();
      api = await startApi(() => ({
        status: 401,
        body: { message: `Bad credentials ${TOKEN}` },
      }));
      const repoUrl = `http://${api.host}/platform/gitops.git`;
      const opener = await createPullRequestOpener(integrations(), repoUrl);
      const error = await opener
        .open({ head: 'b', base: 'main', title: 't' })
        .catch(e => e);
      expect(error.message).toBe(
        `repoUrl: the github API for ${repoUrl} answered HTTP 401 when asked to list open pull requests: it refused the integration's credentials`,
      );
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    });

    it('refuses a URL that is not <owner>/<repo>', async () => {
      await expect(
        createPullRequestOpener(
          integrations(),
          `http://${api.host}/gitops.git`,
        ),
      ).rejects.toThrow(
        `repoUrl: http://${api.host}/gitops.git is not a github repository URL; mode pull-request needs http://${api.host}/<owner>/<repo>.git`,
      );
    });

    it.each([
      [
        'dot segments',
        '/platform/../other/gitops.git',
        'must not have dot segments',
      ],
      [
        'encoded dot segments',
        '/platform/%2e%2e/other/gitops.git',
        'must not percent-encode',
      ],
      [
        'an encoded slash',
        '/platform%2fother/gitops.git',
        'must not percent-encode',
      ],
      [
        'a query',
        '/platform/gitops.git?x=/../../admin',
        'must not have a query',
      ],
    ])(
      'refuses a URL with %s before any request',
      async (_n, repoPath, rule) => {
        api = await startApi(() => ({ status: 200, body: [] }));
        await expect(
          createPullRequestOpener(
            integrations(),
            `http://${api.host}${repoPath}`,
          ),
        ).rejects.toThrow(rule);
        expect(api.requests).toEqual([]);
      },
    );

    it('gives up on an API that does not answer, within the request deadline', async () => {
      api = await startApi(() => ({ status: 200, body: [] }));
      const sockets: net.Socket[] = [];
      const stalled = await new Promise<{ server: net.Server; port: number }>(
        resolve => {
          const server = net.createServer(socket => sockets.push(socket)); // accepts, never answers
          server.listen(0, '127.0.0.1', () =>
            resolve({ server, port: (server.address() as AddressInfo).port }),
          );
        },
      );
      try {
        const host = `127.0.0.1:${stalled.port}`;
        const opener = await createPullRequestOpener(
          ScmIntegrations.fromConfig(
            new ConfigReader({
              integrations: {
                github: [
                  { host, apiBaseUrl: `http://${host}/api/v3`, token: TOKEN },
                ],
              },
            }),
          ),
          `http://${host}/platform/gitops.git`,
          { timeouts: { requestMs: 300, operationMs: 5000 } },
        );
        const started = Date.now();
        await expect(
          opener.open({ head: 'b', base: 'main', title: 't' }),
        ).rejects.toThrow(
          `repoUrl: the github API for http://${host}/platform/gitops.git did not answer within 0.3 s`,
        );
        expect(Date.now() - started).toBeLessThan(3000);
        const cancelled = new AbortController();
        cancelled.abort();
        await expect(
          opener.open(
            { head: 'b', base: 'main', title: 't' },
            { signal: cancelled.signal },
          ),
        ).rejects.toThrow('cancelled');
      } finally {
        stalled.server.close();
        for (const socket of sockets) socket.destroy();
      }
    });
  });

  describe('gitlab', () => {
    const integrations = () =>
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: api.host,
                baseUrl: `http://${api.host}`,
                apiBaseUrl: `http://${api.host}/api/v4`,
                token: TOKEN,
              },
            ],
          },
        }),
      );

    beforeEach(async () => {
      open = [];
      api = await startApi(r => {
        if (r.path === '/api/v4/users') {
          const known = ['alice', 'bob'].indexOf(r.query.username);
          return {
            status: 200,
            body:
              known < 0 ? [] : [{ id: 11 + known, username: r.query.username }],
          };
        }
        if (r.method === 'PUT') {
          const mr = open.find(m =>
            r.path.endsWith(`/merge_requests/${m.iid}`),
          )!;
          mr.reviewers = r.body.reviewer_ids?.map((id: number) => ({ id }));
          return { status: 200, body: mr };
        }
        if (r.method === 'GET') {
          return {
            status: 200,
            body: open.filter(
              m =>
                m.source_branch === r.query.source_branch &&
                m.target_branch === r.query.target_branch &&
                r.query.state === 'opened',
            ),
          };
        }
        if (open.some(m => m.source_branch === r.body.source_branch)) {
          return {
            status: 409,
            body: {
              message: [
                'Another open merge request already exists for this source branch: !1',
              ],
            },
          };
        }
        const mr = {
          id: 900,
          iid: 1 + open.length,
          web_url: `http://${api.host}/group/sub/gitops/-/merge_requests/${
            1 + open.length
          }`,
          state: 'opened',
          ...r.body,
        };
        open.push(mr);
        return { status: 201, body: mr };
      });
    });

    it('opens a merge request on the url-encoded project path, then reuses it', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/group/sub/gitops.git`,
      );
      const first = await opener.open({
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
        body: 'files',
      });
      expect(first).toEqual({
        number: 1,
        url: `http://${api.host}/group/sub/gitops/-/merge_requests/1`,
        created: true,
      });
      const [list, create] = api.requests;
      expect(list).toMatchObject({
        method: 'GET',
        path: '/api/v4/projects/group%2Fsub%2Fgitops/merge_requests',
        query: {
          source_branch: 'aws-gateway/gw',
          target_branch: 'main',
          state: 'opened',
        },
      });
      expect(create).toMatchObject({
        method: 'POST',
        path: '/api/v4/projects/group%2Fsub%2Fgitops/merge_requests',
        body: {
          source_branch: 'aws-gateway/gw',
          target_branch: 'main',
          title: 'Add gw',
          description: 'files',
        },
      });
      expect(create.headers['private-token']).toBe(TOKEN);
      expect(
        await opener.open({
          head: 'aws-gateway/gw',
          base: 'main',
          title: 'Add gw',
        }),
      ).toEqual({ ...first, created: false });
      expect(await opener.findOpen('aws-gateway/gw', 'main')).toEqual({
        number: 1,
        url: first.url,
      });
      expect(
        await opener.findOpen('aws-gateway/gw', 'release'),
      ).toBeUndefined();
      expect(opener.previewUrl(0)).toBe(
        `http://${api.host}/group/sub/gitops/-/merge_requests/0`,
      );
    });

    it('opens a draft with reviewers (user names looked up to ids) and labels; a re-run adds what is missing', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/group/sub/gitops.git`,
      );
      const request = {
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
        reviewers: ['alice'],
        labels: ['gitops', 'aws'],
        draft: true,
      };
      expect((await opener.open(request)).created).toBe(true);
      const create = api.requests.find(r => r.method === 'POST')!;
      expect(create.body).toMatchObject({
        title: 'Draft: Add gw',
        labels: 'gitops,aws',
        reviewer_ids: [11],
      });
      expect(
        api.requests.find(r => r.path === '/api/v4/users')!.query.username,
      ).toBe('alice');
      open[0].reviewers = [{ id: 11 }];
      const again = await opener.open({ ...request, reviewers: ['bob'] });
      expect(again.created).toBe(false);
      const edit = api.requests.find(r => r.method === 'PUT')!;
      expect(edit.path).toBe(
        '/api/v4/projects/group%2Fsub%2Fgitops/merge_requests/1',
      );
      expect(edit.body).toEqual({
        add_labels: 'gitops,aws',
        reviewer_ids: [11, 12],
      });
    });

    it('refuses a reviewer GitLab does not know, naming the entry, before opening anything', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/group/sub/gitops.git`,
      );
      await expect(
        opener.open({
          head: 'b',
          base: 'main',
          title: 't',
          reviewers: ['mallory'],
        }),
      ).rejects.toThrow(
        `reviewers[0]: no GitLab user "mallory" on ${api.host}`,
      );
      expect(api.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });

    it('reuses the merge request another writer opened between the list and the create (409)', async () => {
      const opener = await createPullRequestOpener(
        integrations(),
        `http://${api.host}/group/sub/gitops.git`,
      );
      let raced = false;
      const original = api.requests.push.bind(api.requests);
      api.requests.push = (...items: Recorded[]) => {
        if (!raced && items[0].method === 'POST') {
          raced = true;
          open.push({
            iid: 5,
            web_url: 'http://x/-/merge_requests/5',
            source_branch: 'b',
            target_branch: 'main',
          });
        }
        return original(...items);
      };
      expect(
        await opener.open({ head: 'b', base: 'main', title: 't' }),
      ).toEqual({
        number: 5,
        url: 'http://x/-/merge_requests/5',
        created: false,
      });
    });
  });

  describe('gitea', () => {
    const giteaIntegrations = () =>
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitea: [
              {
                host: api.host,
                baseUrl: `http://${api.host}`,
                username: 'bot',
                password: TOKEN,
              },
            ],
          },
        }),
      );
    beforeEach(async () => {
      open = [];
      api = await startApi(r => {
        if (r.method === 'GET')
          return { status: 200, body: r.query.page === '1' ? open : [] };
        if (!r.path.endsWith('/pulls')) return { status: 201, body: {} };
        const pr = {
          number: 3,
          html_url: `http://${api.host}/platform/gitops/pulls/3`,
          head: { ref: r.body.head },
          base: { ref: r.body.base },
          state: 'open',
        };
        open.push(pr);
        return { status: 201, body: pr };
      });
    });

    it('uses basic auth and the documented request', async () => {
      const integrations = giteaIntegrations();
      const opener = await createPullRequestOpener(
        integrations,
        `http://${api.host}/platform/gitops.git`,
      );
      expect(
        await opener.open({ head: 'h', base: 'main', title: 't', body: 'b' }),
      ).toEqual({
        number: 3,
        url: `http://${api.host}/platform/gitops/pulls/3`,
        created: true,
      });
      const [list, create] = api.requests;
      expect(list).toMatchObject({
        method: 'GET',
        path: '/api/v1/repos/platform/gitops/pulls',
        query: { state: 'open' },
      });
      expect(create).toMatchObject({
        method: 'POST',
        path: '/api/v1/repos/platform/gitops/pulls',
        body: { head: 'h', base: 'main', title: 't', body: 'b' },
      });
      expect(create.headers.authorization).toBe(
        `Basic ${Buffer.from(`bot:${TOKEN}`).toString('base64')}`,
      );
      expect(await opener.findOpen('h', 'main')).toEqual({
        number: 3,
        url: `http://${api.host}/platform/gitops/pulls/3`,
      });
      expect(await opener.findOpen('h', 'release')).toBeUndefined();
      expect(await opener.findOpen('other', 'main')).toBeUndefined();
      expect(api.requests.filter(r => r.method === 'POST')).toHaveLength(1);
    });

    it('lists the open pull requests into a base whose head has the prefix, newest first, within the bound', async () => {
      const pull = (number: number, head: string, base = 'main') => ({
        number,
        html_url: `http://${api.host}/platform/gitops/pulls/${number}`,
        head: { ref: head },
        base: { ref: base },
        state: 'open',
      });
      open.push(
        pull(9, 'aws-gateway/shared-team-c-db'),
        pull(8, 'feature/by-hand'),
        pull(7, 'aws-gateway/shared-team-b-db', 'release'),
        pull(6, 'aws-gateway/shared-team-a-db'),
        { number: 5, head: {}, base: { ref: 'main' } } as any,
      );
      const opener = await createPullRequestOpener(
        giteaIntegrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      const filter = { headPrefix: 'aws-gateway/shared-', limit: 5 };
      expect(await opener.listOpen('main', filter)).toEqual({
        pullRequests: [
          {
            number: 9,
            url: `http://${api.host}/platform/gitops/pulls/9`,
            head: 'aws-gateway/shared-team-c-db',
          },
          {
            number: 6,
            url: `http://${api.host}/platform/gitops/pulls/6`,
            head: 'aws-gateway/shared-team-a-db',
          },
        ],
        complete: true,
      });
      expect(api.requests[0]).toMatchObject({
        method: 'GET',
        path: '/api/v1/repos/platform/gitops/pulls',
        query: { state: 'open', page: '1', limit: '50' },
      });
      // The bound: one more than the limit says there are more.
      const bounded = await opener.listOpen('main', { ...filter, limit: 1 });
      expect(bounded.pullRequests.map(p => p.number)).toEqual([9]);
      expect(bounded.complete).toBe(false);
    });

    it('closes a pull request: its comment first unless it has it already, then state closed; the deadline and error mapping of every call', async () => {
      const opener = await createPullRequestOpener(
        giteaIntegrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      const why = 'It changes nothing any more.';
      await opener.close(3, why);
      const comments = 'GET /api/v1/repos/platform/gitops/issues/3/comments';
      const close: [string, unknown] = [
        'PATCH /api/v1/repos/platform/gitops/pulls/3',
        { state: 'closed' },
      ];
      expect(api.requests.map(r => [`${r.method} ${r.path}`, r.body])).toEqual([
        [comments, undefined],
        ['POST /api/v1/repos/platform/gitops/issues/3/comments', { body: why }],
        close,
      ]);
      await api.close();
      // A re-run after a refused close: the comment is there (among others), so only the close is asked.
      api = await startApi(r =>
        r.method === 'GET'
          ? {
              status: 200,
              body:
                r.query.page === '1'
                  ? [{ body: 'LGTM' }, { body: `${why}\n` }, { id: 3 }]
                  : [],
            }
          : { status: 201, body: {} },
      );
      await (
        await createPullRequestOpener(
          giteaIntegrations(),
          `http://${api.host}/platform/gitops.git`,
        )
      ).close(3, why);
      expect(api.requests.map(r => [`${r.method} ${r.path}`, r.body])).toEqual([
        [comments, undefined],
        close,
      ]);
      expect(api.requests[0].query).toEqual({ page: '1', limit: '50' });
      await api.close();
      api = await startApi(r => {
        if (r.method === 'GET') return { status: 200, body: [] };
        return r.method === 'PATCH'
          ? { status: 403, body: { message: 'forbidden' } }
          : { status: 201, body: {} };
      });
      const refused = await createPullRequestOpener(
        giteaIntegrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      await expect(refused.close(3, 'why')).rejects.toThrow(
        /HTTP 403 when asked to close the pull request: the integration's credentials may not do this/,
      );
    });

    it('retitles a pull request: its title and description in one request', async () => {
      const opener = await createPullRequestOpener(
        giteaIntegrations(),
        `http://${api.host}/platform/gitops.git`,
      );
      await opener.retitle(3, { title: 'Listener on 20012', body: 'Now.' });
      expect(api.requests.map(r => [`${r.method} ${r.path}`, r.body])).toEqual([
        [
          'PATCH /api/v1/repos/platform/gitops/pulls/3',
          { title: 'Listener on 20012', body: 'Now.' },
        ],
      ]);
    });

    it("marks a draft WIP:, requests reviewers and adds labels by name; with the user's token as password", async () => {
      const integrations = giteaIntegrations();
      const opener = await createPullRequestOpener(
        integrations,
        `http://${api.host}/platform/gitops.git`,
        { userToken: 'user-token' },
      );
      await opener.open({
        head: 'h',
        base: 'main',
        title: 't',
        reviewers: ['alice'],
        labels: ['gitops'],
        draft: true,
      });
      expect(api.requests.map(r => [`${r.method} ${r.path}`, r.body])).toEqual([
        ['GET /api/v1/repos/platform/gitops/pulls', undefined],
        [
          'POST /api/v1/repos/platform/gitops/pulls',
          { head: 'h', base: 'main', title: 'WIP: t', body: '' },
        ],
        [
          'POST /api/v1/repos/platform/gitops/pulls/3/requested_reviewers',
          { reviewers: ['alice'] },
        ],
        [
          'POST /api/v1/repos/platform/gitops/issues/3/labels',
          { labels: ['gitops'] },
        ],
      ]);
      for (const r of api.requests) {
        expect(r.headers.authorization).toBe(
          `Basic ${Buffer.from('oauth2:user-token').toString('base64')}`,
        );
      }
    });
  });

  it('refuses a host whose integration cannot open pull requests, before anything else', async () => {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          gerrit: [
            {
              host: 'gerrit.example.com',
              gitilesBaseUrl: 'https://gerrit.example.com/plugins/gitiles',
            },
          ],
        },
      }),
    );
    await expect(
      createPullRequestOpener(
        integrations,
        'https://gerrit.example.com/platform/gitops.git',
      ),
    ).rejects.toThrow(
      'repoUrl: https://gerrit.example.com/platform/gitops.git is served by a gerrit integration, which cannot open pull requests here; mode pull-request needs a gitea, github, gitlab, azure integration (use mode commit)',
    );
  });
});
