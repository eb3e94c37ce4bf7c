/**
 * Integration: aws-gateway:gitops:commit in mode pull-request through the
 * real clients — @octokit/rest against the git peer's GitHub REST subset
 * (/api/v3, GitHub Enterprise style) and @gitbeaker/rest against its GitLab
 * v4 subset — over the peer's bare repositories: the repository chosen with
 * RepoUrlPicker's host?owner&repo, reviewers, labels and draft, the portal's
 * token or the user's (the peer records which login pushed and opened), and a
 * refused user token failing with nothing pushed.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  createBareRepo,
  gitPeer,
  gitPushes,
  gitUserToken,
  uniqueName,
} from '../peers';
import {
  commitAction,
  gitopsConfig,
  renderedWorkspace,
} from './support/gitopsActions';
import { runAction } from './support/actionRun';

type Forge = 'github' | 'gitlab';

/** The peer's pull requests of one repository, read through that forge's API with the peer's own token. */
async function pullRequests(forge: Forge, owner: string, repo: string) {
  const { baseUrl, password } = gitPeer();
  const url =
    forge === 'github'
      ? `${baseUrl}api/v3/repos/${owner}/${repo}/pulls`
      : `${baseUrl}api/v4/projects/${encodeURIComponent(
          `${owner}/${repo}`,
        )}/merge_requests`;
  const res = await fetch(url, {
    headers: { authorization: `token ${password}`, 'private-token': password },
  });
  expect(res.status).toBe(200);
  const list: any[] = await res.json();
  // One shape for both: who opened it, draft, labels, reviewers.
  return list.map(p =>
    forge === 'github'
      ? {
          number: p.number,
          author: p.user.login,
          draft: p.draft,
          labels: p.labels.map((l: any) => l.name),
          reviewers: p.requested_reviewers.map((r: any) => r.login),
          head: p.head.ref,
        }
      : {
          number: p.iid,
          author: p.author.username,
          draft: p.draft,
          labels: p.labels,
          reviewers: p.reviewers.map((r: any) => r.username),
          head: p.source_branch,
        },
  );
}

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

describe.each(['github', 'gitlab'] as const)(
  'aws-gateway:gitops:commit against the git peer as a %s host',
  forge => {
    let owner: string;
    const repo = 'gitops';
    let workspacePath: string;
    const host = () => new URL(gitPeer().baseUrl).host;
    // Only this test's owner is allowed: the picker's choice is checked on the server.
    const config = () =>
      gitopsConfig({
        forge,
        allowedRepoUrls: [`${gitPeer().baseUrl}${owner}/*`],
      });

    beforeEach(async () => {
      owner = uniqueName('platform');
      createBareRepo(`${owner}/${repo}`);
      workspacePath = await renderedWorkspace(config());
    });
    afterEach(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

    const run = (extra: Record<string, unknown> = {}) =>
      runAction(
        commitAction(config()),
        {
          // RepoUrlPicker's value; the allow-list is checked on the clone URL it names.
          repoUrl: `${host()}?owner=${owner}&repo=${repo}`,
          mode: 'pull-request',
          branch: 'aws-gateway/default-aws-tcp-gateway',
          baseBranch: 'main',
          sourcePath: 'manifests',
          commitMessage: 'Expose backend on TCP 8080',
          ...extra,
        },
        { workspacePath },
      );
    const myPushes = async () =>
      (await gitPushes()).filter(p => p.repository === `${owner}/${repo}`);

    it('opens a draft with reviewers and labels with the portal token; a re-run opens no second one', async () => {
      const asked = {
        reviewers: ['alice', 'bob'],
        labels: ['gitops', 'aws-gateway'],
        draft: true,
      };
      const first = await run(asked);
      expect(first.outputs).toMatchObject({
        changed: true,
        pullRequestNumber: 1,
        pullRequestUrl:
          forge === 'github'
            ? `${gitPeer().baseUrl}${owner}/${repo}/pull/1`
            : `${gitPeer().baseUrl}${owner}/${repo}/-/merge_requests/1`,
      });
      expect(await pullRequests(forge, owner, repo)).toEqual([
        {
          number: 1,
          author: 'peers',
          ...asked,
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
      const { outputs, logs } = await run({ token, reviewers: ['bob'] });
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
        run({ repoUrl: `${host()}?owner=${owner}&repo=..` }),
      ).rejects.toThrow('repoUrl:');
      await expect(
        run({ repoUrl: `${host()}?owner=elsewhere&repo=${repo}` }),
      ).rejects.toThrow(
        `repoUrl: "${gitPeer().baseUrl}elsewhere/${repo}.git" is not allowed`,
      );
      await expect(run({ reviewers: ['-mallory'] })).rejects.toThrow(
        'reviewers[0]: "-mallory" is not valid',
      );
      expect(branches(owner, repo)).toEqual(['main']);
      expect(await myPushes()).toEqual([]);
    });
  },
);
