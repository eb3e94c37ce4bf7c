/**
 * Integration: aws-gateway:gitops:commit in mode pull-request through the
 * real clients — @octokit/rest against the git peer's GitHub REST subset
 * (/api/v3, GitHub Enterprise style), @gitbeaker/rest against its GitLab
 * v4 subset and azure-devops-node-api against its Azure DevOps Git subset
 * (reviewers by identity id, labels as tags) — over the peer's bare
 * repositories: the repository chosen with
 * RepoUrlPicker's host?owner&repo, reviewers, labels and draft, the portal's
 * token or the user's (the peer records which login pushed and opened), and a
 * refused user token failing with nothing pushed.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  GitOpsRepository,
  PullRequestOpener,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  createBareRepo,
  gitPeer,
  gitPeerAddComments,
  gitPeerDeleteCommentOnPage,
  gitPeerPulls,
  gitPeerRefuseEdits,
  gitPushes,
  gitUserAzureId,
  gitUserToken,
  uniqueName,
} from '../peers';
import {
  commitAction,
  gitopsConfig,
  PeerForge,
  renderedWorkspace,
} from './support/gitopsActions';
import { runAction } from './support/actionRun';
import { pushBranchByHand } from './support/gitCli';

type Forge = Exclude<PeerForge, 'gitea'>;

/** Azure DevOps repositories live in a project of an organization: the owner here is organization/project. */
const AZURE_PROJECT = 'platform';

/** The peer's pull requests of one repository, read through that forge's API with the peer's own token. */
async function pullRequests(forge: Forge, owner: string, repo: string) {
  const { baseUrl, password } = gitPeer();
  const urls: Record<Forge, string> = {
    github: `${baseUrl}api/v3/repos/${owner}/${repo}/pulls`,
    gitlab: `${baseUrl}api/v4/projects/${encodeURIComponent(
      `${owner}/${repo}`,
    )}/merge_requests`,
    azure: `${baseUrl}${owner}/_apis/git/repositories/${repo}/pullRequests`,
  };
  const res = await fetch(urls[forge], {
    headers: { authorization: `token ${password}`, 'private-token': password },
  });
  expect(res.status).toBe(200);
  const body: any = await res.json();
  const list: any[] = forge === 'azure' ? body.value : body;
  const loginOfAzureId = (id: string) =>
    (['alice', 'bob'] as const).find(u => gitUserAzureId(u) === id) ?? id;
  // One shape for all: who opened it, draft, labels, reviewers (Azure DevOps: by id, shown as logins).
  return list.map(p => {
    switch (forge) {
      case 'github':
        return {
          number: p.number,
          author: p.user.login,
          draft: p.draft,
          labels: p.labels.map((l: any) => l.name),
          reviewers: p.requested_reviewers.map((r: any) => r.login),
          head: p.head.ref,
        };
      case 'gitlab':
        return {
          number: p.iid,
          author: p.author.username,
          draft: p.draft,
          labels: p.labels,
          reviewers: p.reviewers.map((r: any) => r.username),
          head: p.source_branch,
        };
      default:
        return {
          number: p.pullRequestId,
          author: p.createdBy.uniqueName,
          draft: p.isDraft,
          labels: p.labels.map((l: any) => l.name),
          reviewers: p.reviewers.map((r: any) => loginOfAzureId(r.id)),
          head: p.sourceRefName.replace(/^refs\/heads\//, ''),
        };
    }
  });
}

/** How each host names a repository: RepoUrlPicker's value, the clone URL's path and a pull request's browser URL. */
const HOST_SHAPES: Record<
  Forge,
  {
    picked: (host: string, org: string, repo: string) => string;
    path: (org: string, repo: string) => string;
    pullUrl: (web: string, n: number) => string;
    /** A reviewer as the host takes it. */
    reviewer: (login: 'alice' | 'bob') => string;
  }
> = {
  github: {
    picked: (host, org, repo) => `${host}?owner=${org}&repo=${repo}`,
    path: (org, repo) => `${org}/${repo}`,
    pullUrl: (web, n) => `${web}/pull/${n}`,
    reviewer: login => login,
  },
  gitlab: {
    picked: (host, org, repo) => `${host}?owner=${org}&repo=${repo}`,
    path: (org, repo) => `${org}/${repo}`,
    pullUrl: (web, n) => `${web}/-/merge_requests/${n}`,
    reviewer: login => login,
  },
  azure: {
    picked: (host, org, repo) =>
      `${host}?organization=${org}&project=${AZURE_PROJECT}&repo=${repo}`,
    path: (org, repo) => `${org}/${AZURE_PROJECT}/_git/${repo}`,
    pullUrl: (web, n) => `${web}/pullrequest/${n}`,
    reviewer: gitUserAzureId,
  },
};

const branches = (owner: string, repo: string) =>
  execFileSync(
    'git',
    [
      '--git-dir',
      path.join(gitPeer().root, owner, `${repo}.git`),
      'for-each-ref',
      '--format=%(refname:short)',
      'refs/heads',
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n');

/** More comments than any page of a host's listing holds, several times over. */
const MANY_COMMENTS = 600;

/**
 * Closes pull request #1 of `repository` (owner/repo) with a comment, the
 * first close refused by the host after the comment was posted; others'
 * comments come before it and after it, more than any bound of pages
 * (`beforeAgain` runs before the second close). What the pull request is
 * then: its state, how many comments, how many of them the closing one.
 */
async function closeAmongManyComments(
  opener: PullRequestOpener,
  repository: string,
  beforeAgain?: () => Promise<void>,
) {
  const why = 'It changes nothing any more.';
  await gitPeerAddComments(repository, 1, MANY_COMMENTS);
  await gitPeerRefuseEdits(repository, true);
  await expect(opener.close(1, why)).rejects.toThrow(/HTTP 403/);
  await gitPeerAddComments(repository, 1, MANY_COMMENTS);
  await gitPeerRefuseEdits(repository, false);
  await beforeAgain?.();
  await opener.close(1, why);
  const [pull] = await gitPeerPulls(repository);
  return {
    state: pull.state,
    comments: pull.comments.length,
    closing: pull.comments.filter(c => c === why).length,
  };
}

/** Closed, its closing comment posted once among all the others. */
const CLOSED_ONCE = {
  state: 'closed',
  comments: 2 * MANY_COMMENTS + 1,
  closing: 1,
};

describe.each(['github', 'gitlab', 'azure'] as const)(
  'aws-gateway:gitops:commit against the git peer as a %s host',
  forge => {
    const shape = HOST_SHAPES[forge];
    let org: string;
    // The repository's owner as the peer stores it (Azure DevOps: organization/project).
    let owner: string;
    const repo = 'gitops';
    let workspacePath: string;
    const host = () => new URL(gitPeer().baseUrl).host;
    // Only this test's organization is allowed: the picker's choice is checked on the server.
    const config = () =>
      gitopsConfig({
        forge,
        allowedRepoUrls: [`${gitPeer().baseUrl}${shape.path(org, '*')}`],
      });

    beforeEach(async () => {
      org = uniqueName('platform');
      owner = forge === 'azure' ? `${org}/${AZURE_PROJECT}` : org;
      createBareRepo(`${owner}/${repo}`);
      workspacePath = await renderedWorkspace(config());
    });
    afterEach(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

    const run = (extra: Record<string, unknown> = {}) =>
      runAction(
        commitAction(config()),
        {
          // RepoUrlPicker's value; the allow-list is checked on the clone URL it names.
          repoUrl: shape.picked(host(), org, repo),
          mode: 'pull-request',
          branch: 'aws-gateway/default-aws-tcp-gateway',
          baseBranch: 'main',
          sourcePath: 'manifests',
          commitMessage: 'Expose backend on TCP 8080',
          ...extra,
        },
        { workspacePath },
      );
    /** The pull request opener of this test's repository, with the portal's credentials. */
    const openerOfRepo = () =>
      GitOpsRepository.fromConfig(config()).pullRequestOpener(
        `${gitPeer().baseUrl}${shape.path(org, repo)}${
          forge === 'azure' ? '' : '.git'
        }`,
      );
    const myPushes = async () =>
      (await gitPushes()).filter(p => p.repository === `${owner}/${repo}`);

    it('opens a draft with reviewers and labels with the portal token; a re-run opens no second one', async () => {
      const asked = {
        reviewers: [shape.reviewer('alice'), shape.reviewer('bob')],
        labels: ['gitops', 'aws-gateway'],
        draft: true,
      };
      const first = await run(asked);
      expect(first.outputs).toMatchObject({
        changed: true,
        pullRequestNumber: 1,
        pullRequestUrl: shape.pullUrl(
          `${gitPeer().baseUrl}${shape.path(org, repo)}`,
          1,
        ),
      });
      expect(await pullRequests(forge, owner, repo)).toEqual([
        {
          number: 1,
          author: 'peers',
          ...asked,
          reviewers: ['alice', 'bob'],
          head: 'aws-gateway/default-aws-tcp-gateway',
        },
      ]);
      expect(await myPushes()).toEqual([
        { repository: `${owner}/${repo}`, login: 'peers' },
      ]);

      const again = await run(asked);
      expect(again.outputs).toMatchObject({
        changed: false,
        pullRequestNumber: 1,
      });
      expect(await pullRequests(forge, owner, repo)).toHaveLength(1);
      expect(await myPushes()).toHaveLength(1);
    });

    it("pushes and opens the pull request as the user with the user's token, and never says the token", async () => {
      const token = gitUserToken('alice');
      const { outputs, logs } = await run({
        token,
        reviewers: [shape.reviewer('bob')],
      });
      expect(outputs.pullRequestNumber).toBe(1);
      expect(await pullRequests(forge, owner, repo)).toMatchObject([
        { author: 'alice', reviewers: ['bob'], draft: false },
      ]);
      expect(await myPushes()).toEqual([
        { repository: `${owner}/${repo}`, login: 'alice' },
      ]);
      expect(JSON.stringify([outputs, logs])).not.toContain(token);
      expect(logs.join('\n')).toContain('as the user');
    });

    it("refuses a wrong user token naming token: nothing pushed, nothing opened, the portal's token not tried", async () => {
      const wrong = 'not-a-token-of-this-host';
      const error = await run({ token: wrong }).catch(e => e);
      expect(error.message).toMatch(/^token: /);
      expect(error.message).toContain("the user's token");
      expect(error.message).not.toContain(wrong);
      expect(branches(owner, repo)).toEqual(['main']);
      expect(await myPushes()).toEqual([]);
      expect(await pullRequests(forge, owner, repo)).toEqual([]);
    });

    it('refuses a reviewer name the host would refuse, a picker value outside the allow-list and a hostile one, before pushing', async () => {
      await expect(
        run({ repoUrl: shape.picked(host(), org, '..') }),
      ).rejects.toThrow('repoUrl:');
      const elsewhere = shape.path('elsewhere', repo);
      await expect(
        run({ repoUrl: shape.picked(host(), 'elsewhere', repo) }),
      ).rejects.toThrow(
        `repoUrl: "${gitPeer().baseUrl}${elsewhere}${
          forge === 'azure' ? '' : '.git'
        }" is not allowed`,
      );
      await expect(run({ reviewers: ['-mallory'] })).rejects.toThrow(
        'reviewers[0]: "-mallory" is not valid',
      );
      expect(branches(owner, repo)).toEqual(['main']);
      expect(await myPushes()).toEqual([]);
    });

    it('finds the open pull request of a head into a base (how a review branch is known to be under review), none for another head or base; lists those into a base by head prefix', async () => {
      const head = 'aws-gateway/default-aws-tcp-gateway';
      const { outputs } = await run({});
      const opener = await openerOfRepo();
      expect(await opener.findOpen(head, 'main')).toEqual({
        number: 1,
        url: outputs.pullRequestUrl,
      });
      expect(await opener.findOpen(head, 'release')).toBeUndefined();
      expect(await opener.findOpen(`${head}_2`, 'main')).toBeUndefined();
      // The open pull requests into a base whose head has a prefix (how pending reviews are found).
      expect(
        await opener.listOpen('main', {
          headPrefix: 'aws-gateway/',
          limit: 10,
        }),
      ).toEqual({
        pullRequests: [{ number: 1, url: outputs.pullRequestUrl, head }],
        complete: true,
      });
      const none = { pullRequests: [], complete: true };
      expect(
        await opener.listOpen('main', {
          headPrefix: 'aws-gateway/shared-',
          limit: 10,
        }),
      ).toEqual(none);
      expect(
        await opener.listOpen('release', {
          headPrefix: 'aws-gateway/',
          limit: 10,
        }),
      ).toEqual(none);
      expect(
        await opener.listOpen('main', { headPrefix: 'aws-gateway/', limit: 0 }),
      ).toEqual({ pullRequests: [], complete: false });
    });

    it('retitles a pull request (title and description; a refusal is an error naming the answer, nothing changed), and closes it with a comment saying why, posted once when a refused close is run again (its branch left as it is)', async () => {
      const head = 'aws-gateway/default-aws-tcp-gateway';
      await run({});
      const opener = await openerOfRepo();
      const pull = async () => (await gitPeerPulls(`${owner}/${repo}`))[0];
      const opened = await pull();
      const why = 'It changes nothing any more.';
      const text = { title: 'Listener on port 20012', body: 'Now port 20012.' };

      await gitPeerRefuseEdits(`${owner}/${repo}`, true);
      await expect(opener.retitle(1, text)).rejects.toThrow(
        /HTTP 403 when asked to retitle the (pull|merge) request/,
      );
      // The comment is posted, then the host refuses the close.
      await expect(opener.close(1, why)).rejects.toThrow(
        /HTTP 403 when asked to (close|abandon) the (pull|merge) request/,
      );
      expect(await pull()).toMatchObject({
        state: 'open',
        title: opened.title,
        body: opened.body,
        comments: [why],
      });
      expect(await opener.findOpen(head, 'main')).toBeDefined();

      await gitPeerRefuseEdits(`${owner}/${repo}`, false);
      await opener.retitle(1, text);
      await opener.retitle(1, text);
      expect(await pull()).toMatchObject({ ...text, state: 'open' });
      await opener.close(1, why);
      expect(await pull()).toMatchObject({ state: 'closed', comments: [why] });
      expect(await opener.findOpen(head, 'main')).toBeUndefined();
      expect(
        await opener.listOpen('main', {
          headPrefix: 'aws-gateway/',
          limit: 10,
        }),
      ).toEqual({ pullRequests: [], complete: true });
      expect(branches(owner, repo)).toContain(head);
    });

    it('posts the closing comment once on a pull request with more comments than a page bound, before and after it', async () => {
      await run({});
      expect(
        await closeAmongManyComments(await openerOfRepo(), `${owner}/${repo}`),
      ).toEqual(CLOSED_ONCE);
    });
  },
);

/** A new repository (owner/repo) on the peer with pull request #1 opened through `forge`'s API; its opener, with the portal's credentials. */
async function repositoryWithPullRequest(
  forge: 'gitea' | 'github' | 'gitlab',
  repository: string,
) {
  const url = createBareRepo(repository);
  const head = 'aws-gateway/default-aws-tcp-gateway';
  pushBranchByHand(
    path.join(gitPeer().root, `${repository}.git`),
    head,
    work =>
      fs.writeFileSync(path.join(work, 'gateway.yaml'), 'kind: Gateway\n'),
    'Expose backend',
  );
  const opener = await GitOpsRepository.fromConfig(
    gitopsConfig({ forge, allowedRepoUrls: [url] }),
  ).pullRequestOpener(url);
  expect(
    await opener.open({ head, base: 'main', title: 'Expose backend' }),
  ).toMatchObject({ number: 1, created: true });
  return opener;
}

describe('the git peer as a gitea host (Gitea answers every comment at once)', () => {
  it('posts the closing comment once on a pull request with more comments than a page, before and after it', async () => {
    const repository = `${uniqueName('platform')}/gitops`;
    const opener = await repositoryWithPullRequest('gitea', repository);
    expect(await closeAmongManyComments(opener, repository)).toEqual(
      CLOSED_ONCE,
    );
  });
});

describe.each(['github', 'gitlab'] as const)(
  'the git peer as a %s host (comment pages are offsets into the list)',
  forge => {
    it('posts the closing comment once when a comment of a page already read is deleted while the comments are read', async () => {
      const repository = `${uniqueName('platform')}/gitops`;
      const opener = await repositoryWithPullRequest(forge, repository);
      // The closing comment is the 601st in either order (GitHub oldest first, GitLab newest first), the first of page 7:
      // deleting the first comment of page 6 once it is served moves it back onto page 6, already read.
      const deleteWhileRead = () =>
        gitPeerDeleteCommentOnPage(repository, 1, 6);
      expect(
        await closeAmongManyComments(opener, repository, deleteWhileRead),
      ).toEqual({ ...CLOSED_ONCE, comments: 2 * MANY_COMMENTS });
    });
  },
);

describe('aws-gateway:gitops:commit against the git peer as an azure host that redirects its API', () => {
  it('follows no redirect (one followed would reach an address that refuses connections): the error names the status, not where it points', async () => {
    // The peer's moved-* organizations answer every API call with a redirect to another address.
    const org = uniqueName('moved-platform');
    const owner = `${org}/${AZURE_PROJECT}`;
    createBareRepo(`${owner}/gitops`);
    const config = gitopsConfig({
      forge: 'azure',
      allowedRepoUrls: [
        `${gitPeer().baseUrl}${HOST_SHAPES.azure.path(org, '*')}`,
      ],
    });
    const workspacePath = await renderedWorkspace(config);
    try {
      const error = await runAction(
        commitAction(config),
        {
          repoUrl: HOST_SHAPES.azure.picked(
            new URL(gitPeer().baseUrl).host,
            org,
            'gitops',
          ),
          mode: 'pull-request',
          branch: 'aws-gateway/default-aws-tcp-gateway',
          baseBranch: 'main',
          sourcePath: 'manifests',
          commitMessage: 'Expose backend on TCP 8080',
        },
        { workspacePath },
      ).catch(e => e);
      expect(error.message).toMatch(
        /^repoUrl: the azure API for \S+ answered HTTP 302 when asked to list open pull requests/,
      );
      expect(error.message).not.toContain('elsewhere');
    } finally {
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  });
});
