import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GitIdentity,
  GitOpsFile,
  GitOpsRepository,
  PullRequestOpener,
} from '@gateway-portal/plugin-aws-gateway-node';
import { examples } from './gitopsCommit.examples';
import { assertAllowedRepo, GitOpsSettings, REPO_URL_DESCRIPTION } from './gitopsSettings';

/** @public */
export const GITOPS_COMMIT_ACTION_ID = 'aws-gateway:gitops:commit';

/** Every file under a workspace directory, paths relative to it (posix). */
async function listFiles(root: string, relative = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(e => {
      const child = relative ? `${relative}/${e.name}` : e.name;
      if (e.isDirectory()) return listFiles(root, child);
      return Promise.resolve(e.isFile() ? [child] : []);
    }),
  );
  return nested.flat().sort();
}

/**
 * Commits files from the workspace to a branch of an existing GitOps
 * repository over HTTPS, with the credentials of Backstage's SCM
 * integrations. Never force-pushes; retries from the new head after a
 * concurrent update; refuses to replace a different existing file unless
 * `overwrite`; makes no new commit when the content is already there.
 * In mode `pull-request` it then opens a pull request from the branch into
 * the base branch (gitea, github and gitlab hosts), or reuses the open one.
 *
 * @public
 */
export function createGitOpsCommitAction(options: {
  repository: Pick<GitOpsRepository, 'commitFiles' | 'describeRemote' | 'pullRequestOpener'>;
  settings: GitOpsSettings;
}) {
  const { repository, settings } = options;
  return createTemplateAction({
    id: GITOPS_COMMIT_ACTION_ID,
    description:
      'Commits workspace files (e.g. rendered gateway manifests) to a branch of an existing GitOps repository, idempotently and without force-pushing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z => z.string().describe(REPO_URL_DESCRIPTION),
        branch: z => z.string().default('main').describe('Branch to commit to; created from baseBranch when missing'),
        baseBranch: z => z.string().optional().describe('Where a new branch starts; default the repository default branch'),
        sourcePath: z => z.string().default('manifests').describe('Workspace directory whose files are committed'),
        targetPath: z => z.string().describe('Directory in the repository the files go to'),
        commitMessage: z => z.string().describe('Commit message'),
        overwrite: z =>
          z.boolean().default(false).describe('Replace existing files whose content differs (default: refuse)'),
        mode: z =>
          z
            .enum(['commit', 'pull-request'])
            .default('commit')
            .describe(
              'commit: only commit to branch. pull-request: then open a pull request from branch into baseBranch (gitea, github or gitlab hosts), or reuse the open one',
            ),
        pullRequestTitle: z => z.string().optional().describe('Pull request title; default the commit message'),
        pullRequestBody: z => z.string().optional().describe('Pull request description'),
      },
      output: {
        commitSha: z => z.string().describe('The new commit, or the branch head when nothing changed'),
        commitUrl: z => z.string().describe('Browser URL of that commit'),
        branch: z => z.string(),
        changed: z => z.boolean().describe('False when the content was already there (no commit made)'),
        branchCreated: z => z.boolean(),
        files: z => z.array(z.string()).describe('Repository paths committed'),
        pullRequestUrl: z =>
          z.string().optional().describe('Mode pull-request: browser URL of the pull request opened or reused'),
        pullRequestNumber: z =>
          z.number().optional().describe('Mode pull-request: its number (GitLab: the merge request iid; 0 in a dry run)'),
      },
    },
    async handler(ctx) {
      // The scaffolder validates inputs against the JSON schema but does not
      // apply zod defaults, so they are applied here.
      const input = {
        ...ctx.input,
        branch: ctx.input.branch ?? 'main',
        sourcePath: ctx.input.sourcePath ?? 'manifests',
        overwrite: ctx.input.overwrite ?? false,
        mode: ctx.input.mode ?? 'commit',
      };
      assertAllowedRepo(input.repoUrl, settings);
      // Before anything is pushed: the host must be able to open the pull request.
      const opener: PullRequestOpener | undefined =
        input.mode === 'pull-request' ? await repository.pullRequestOpener(input.repoUrl) : undefined;
      const source = resolveSafeChildPath(ctx.workspacePath, input.sourcePath);
      const relativeFiles = await listFiles(source).catch(() => {
        throw new InputError(`sourcePath: workspace directory "${input.sourcePath}" does not exist`);
      });
      if (!relativeFiles.length) {
        throw new InputError(`sourcePath: workspace directory "${input.sourcePath}" has no files`);
      }
      const targetPath = input.targetPath.replace(/^\/+|\/+$/g, '');
      const files: GitOpsFile[] = await Promise.all(
        relativeFiles.map(async f => ({
          path: targetPath ? `${targetPath}/${f}` : f,
          content: await fs.readFile(path.join(source, f), 'utf8'),
        })),
      );
      const profile = ctx.user?.entity?.spec?.profile;
      const author: GitIdentity = profile?.email
        ? { name: profile.displayName ?? ctx.user?.entity?.metadata.name ?? profile.email, email: profile.email }
        : settings.committer;
      let baseBranch = input.baseBranch;
      if (opener) {
        baseBranch ??= (await repository.describeRemote(input.repoUrl)).defaultBranch;
        if (!baseBranch) {
          throw new InputError(
            `baseBranch: ${input.repoUrl} names no default branch; mode pull-request needs baseBranch, the branch the pull request goes into`,
          );
        }
        if (baseBranch === input.branch) {
          throw new InputError(
            `branch: mode pull-request needs a branch other than its base "${baseBranch}"; commit to a review branch`,
          );
        }
      }
      const commit = {
        repoUrl: input.repoUrl,
        branch: input.branch,
        baseBranch,
        files,
        message: input.commitMessage,
        author,
        committer: settings.committer,
        overwrite: input.overwrite,
      };

      const result = ctx.isDryRun
        ? await repository.commitFiles({ ...commit, dryRun: true })
        : await ctx.checkpoint({
            // Same repository, branch and content → same key: a recovered task does not commit twice.
            key: `gitops-commit-${checkpointDigest(commit)}`,
            fn: async () => {
              const r = await repository.commitFiles(commit);
              ctx.logger.info(
                r.changed
                  ? `Committed ${r.files.filter(f => f.status !== 'unchanged').length} file(s) to ${r.branch}: ${r.commitSha} (${r.attempts} attempt(s))`
                  : `${r.branch} already has this content at ${r.commitSha}; no commit made`,
              );
              return {
                commitSha: r.commitSha,
                commitUrl: r.commitUrl,
                branch: r.branch,
                changed: r.changed,
                branchCreated: r.branchCreated,
                files: r.files.map(f => f.path),
              };
            },
          });

      ctx.output('commitSha', result.commitSha);
      ctx.output('commitUrl', result.commitUrl);
      ctx.output('branch', result.branch);
      ctx.output('changed', result.changed);
      ctx.output('branchCreated', result.branchCreated);
      ctx.output(
        'files',
        result.files.map(f => (typeof f === 'string' ? f : f.path)),
      );

      if (!opener || !baseBranch) return;
      if (!result.changed && result.branchCreated) {
        ctx.logger.info(`${baseBranch} already has this content; no branch pushed and no pull request needed`);
        return;
      }
      const request = {
        head: input.branch,
        base: baseBranch,
        title: input.pullRequestTitle ?? input.commitMessage.split('\n')[0],
        body:
          input.pullRequestBody ??
          `Opened by Backstage (${GITOPS_COMMIT_ACTION_ID}).\n\nFiles:\n${files.map(f => `- ${f.path}`).join('\n')}\n`,
      };
      const pullRequest = ctx.isDryRun
        ? { number: 0, url: opener.previewUrl(0), created: true }
        : await ctx.checkpoint({
            // Same repository, branches and content → same key: a recovered task opens nothing new.
            key: `gitops-pull-request-${checkpointDigest({ ...commit, branch: `${input.branch}\n${baseBranch}` })}`,
            fn: async () => {
              const pr = await opener.open(request);
              ctx.logger.info(
                pr.created
                  ? `Opened pull request #${pr.number} from ${request.head} into ${request.base}: ${pr.url}`
                  : `Pull request #${pr.number} from ${request.head} into ${request.base} is already open: ${pr.url}`,
              );
              return { number: pr.number, url: pr.url, created: pr.created };
            },
          });
      ctx.output('pullRequestUrl', pullRequest.url);
      ctx.output('pullRequestNumber', pullRequest.number);
    },
  });
}

function checkpointDigest(commit: {
  repoUrl: string;
  branch: string;
  files: GitOpsFile[];
}): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${commit.repoUrl}\n${commit.branch}\n`);
  for (const f of commit.files) hash.update(`${f.path}\n${f.content}\n`);
  return hash.digest('hex').slice(0, 16);
}
