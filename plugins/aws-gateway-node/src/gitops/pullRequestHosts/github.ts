import { Octokit } from '@octokit/rest';
import { ForgeHttp } from '../forgeHttp';
import { PullRequestHostFactory } from './types';
import {
  collectOpen,
  findOrCreate,
  OPEN_LIST_PAGES,
  repoPathBelow,
} from './repositoryPath';
import { hasComment } from './commentScan';

const trim = (url: string) => url.replace(/\/+$/, '');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * GitHub and GitHub Enterprise (`apiBaseUrl`) through `@octokit/rest`: list
 * the open pull requests of owner:head into base, create one (draft when
 * asked), request reviewers, add labels. Every request goes through the
 * operation's fetch (deadline, cancellation, no redirects).
 */

/** The fields of a pull request this flow reads (list and create answer different shapes). */
interface GitHubPull {
  number: number;
  html_url: string;
}

export const githubPullRequests: PullRequestHostFactory = (
  integrations,
  remote,
) => {
  const config = integrations.github.byUrl(remote.url.href)!.config;
  const [owner, repo] = repoPathBelow(
    remote.url,
    `${remote.url.protocol}//${config.host}`,
    'github',
    2,
  );
  const web = `${remote.url.protocol}//${config.host}/${owner}/${repo}`;
  const client = (http: ForgeHttp) =>
    new Octokit({
      auth: remote.credentials.password,
      baseUrl: trim(config.apiBaseUrl ?? 'https://api.github.com'),
      request: { fetch: http.fetch },
      log: silent,
    });
  const findPull = async (
    octokit: Octokit,
    http: ForgeHttp,
    head: string,
    base: string,
  ) => {
    const { data } = await http.call('list open pull requests', () =>
      octokit.pulls.list({
        owner,
        repo,
        head: `${owner}:${head}`,
        base,
        state: 'open',
        per_page: 100,
      }),
    );
    return data.find(p => p.head.ref === head && p.base.ref === base);
  };
  return {
    previewUrl: n => `${web}/pull/${n}`,
    async findOpen(head, base, http) {
      const pull = await findPull(client(http), http, head, base);
      return pull && { number: pull.number, url: pull.html_url };
    },
    listOpen(base, filter, http) {
      const octokit = client(http);
      return http.call('list open pull requests', () =>
        collectOpen(
          OPEN_LIST_PAGES,
          async page =>
            (
              await octokit.pulls.list({
                owner,
                repo,
                base,
                state: 'open',
                sort: 'created',
                direction: 'desc',
                per_page: OPEN_LIST_PAGES.size,
                page,
              })
            ).data,
          p => ({
            head: p.head.ref,
            base: p.base.ref,
            number: p.number,
            url: p.html_url,
          }),
          { ...filter, base },
        ),
      );
    },
    hasComment(number, matches, http) {
      const octokit = client(http);
      // Oldest first (GitHub has no other order for them).
      return http.call('list the pull request comments', () =>
        hasComment(
          OPEN_LIST_PAGES.size,
          async page =>
            (
              await octokit.issues.listComments({
                owner,
                repo,
                issue_number: number,
                per_page: OPEN_LIST_PAGES.size,
                page,
              })
            ).data,
          c => ({ id: c.id, body: c.body }),
          matches,
          `pull request #${number} of ${remote.url.href}`,
        ),
      );
    },
    async close(number, comment, http) {
      const octokit = client(http);
      if (comment)
        await http.call('comment on the pull request', () =>
          octokit.issues.createComment({
            owner,
            repo,
            issue_number: number,
            body: comment,
          }),
        );
      await http.call('close the pull request', () =>
        octokit.pulls.update({
          owner,
          repo,
          pull_number: number,
          state: 'closed',
        }),
      );
    },
    async retitle(number, text, http) {
      const octokit = client(http);
      await http.call('retitle the pull request', () =>
        octokit.pulls.update({
          owner,
          repo,
          pull_number: number,
          title: text.title,
          body: text.body,
        }),
      );
    },
    async open(request, http) {
      const octokit = client(http);
      const find = () => findPull(octokit, http, request.head, request.base);
      // 422 "A pull request already exists" when one was opened meanwhile.
      const { pull, created } = await findOrCreate<GitHubPull>(
        find,
        async () => {
          const { data } = await http.call('open a pull request', () =>
            octokit.pulls.create({
              owner,
              repo,
              head: request.head,
              base: request.base,
              title: request.title,
              body: request.body ?? '',
              draft: request.draft ?? false,
            }),
          );
          return data;
        },
      );
      const number = pull.number;
      if (request.reviewers?.length) {
        await http.call('request reviewers', () =>
          octokit.pulls.requestReviewers({
            owner,
            repo,
            pull_number: number,
            reviewers: request.reviewers!,
          }),
        );
      }
      if (request.labels?.length) {
        await http.call('add labels', () =>
          octokit.issues.addLabels({
            owner,
            repo,
            issue_number: number,
            labels: request.labels!,
          }),
        );
      }
      return { number, url: pull.html_url, created };
    },
  };
};
