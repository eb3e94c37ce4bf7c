import crypto from 'node:crypto';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  AWS_GATEWAY_ACTION_ID,
  describeFileChanges,
  GitIdentity,
  GitOpsFile,
  GitOpsRepository,
  PullRequestOpener,
} from '@gateway-portal/plugin-aws-gateway-node';
import { examples } from './gitopsCommit.examples';
import {
  assertAllowedRepo,
  GitOpsSettings,
  repositoryInputFields,
} from './gitopsSettings';
import {
  BundleGuardrails,
  RENDERED_FILE_NAME,
  verifyRenderedBundle,
} from './renderedBundle';
import { readWorkspaceFiles } from './workspaceFiles';
import { reviewBranchFor } from './reviewBranch';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import {
  checkEndpointOwnership,
  CurrentEndpoint,
  readCurrentEndpoint,
} from '../endpoint/currentEndpoint';
import { endpointTargetPath } from '@gateway-portal/plugin-aws-gateway-common';

/**
 * Commits what a render action wrote to the workspace to a branch of an
 * existing GitOps repository over HTTPS, with the credentials of Backstage's
 * SCM integrations. Only the files `aws-gateway:endpoint:render` or
 * `aws-gateway:controller:render` produce are accepted, re-checked against
 * the guardrails, at the one path the repository layout gives them. Never
 * force-pushes; retries from the new head after a concurrent update; refuses
 * to replace a different existing file unless `overwrite`; makes no new
 * commit when the content is already there. In mode `pull-request` it then
 * opens a pull request from the branch into the base branch (gitea, github
 * and gitlab hosts), or reuses the open one, with reviewers, labels and as a
 * draft when asked; a branch whose pull request was merged or closed is not
 * written to again (a new one from the base, `<branch>_2`: reviewBranchFor). Given the user's `token` (RepoUrlPicker's
 * `requestUserCredentials`), it reads, pushes and opens the pull request as
 * the user, and never falls back to the integration's credentials.
 *
 * With `replace` (a changed endpoint) or `removeGateway` (a removed one), the
 * files already in the Gateway's folder must be what the render wrote, with
 * the portal's label and no hand edit, for a component the initiator may
 * publish for; they are replaced (those the new render lacks are deleted) or
 * deleted, and a file changed after it was read is a conflict. The task log
 * shows the diff, in dry runs too.
 *
 * @public
 */
export function createGitOpsCommitAction(options: {
  repository: Pick<
    GitOpsRepository,
    'commitFiles' | 'describeRemote' | 'pullRequestOpener' | 'readFiles'
  >;
  settings: GitOpsSettings;
  guardrails: BundleGuardrails;
  /** Who may replace or remove an endpoint's files (the render action's rule). */
  ownership: InitiatorOwnership;
}) {
  const { repository, settings, guardrails, ownership } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.gitopsCommit,
    description:
      'Commits the files a render action wrote (gateway manifests, or the controller setup) to their fixed place in an existing GitOps repository, idempotently and without force-pushing; anything else is refused.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryInputFields,
        sourcePath: z =>
          z
            .string()
            .default('manifests')
            .describe(
              'Workspace directory a render action wrote (its outputDir)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Optional, and then it must equal the fixed layout: gateways/<namespace>/<gateway> for an endpoint, clusters/<cluster>/aws-load-balancer-controller for a controller setup',
            ),
        commitMessage: z => z.string().describe('Commit message'),
        overwrite: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Replace existing files whose content differs (default: refuse)',
            ),
        replace: z =>
          z
            .boolean()
            .default(false)
            .describe(
              "A changed endpoint: the Gateway's files already in the repository must be what the render wrote (the portal's label, no hand edit) for a component you may publish for; they are replaced, and those the new render no longer has are deleted",
            ),
        removeGateway: z =>
          z
            .string()
            .optional()
            .describe(
              '<namespace>/<name>: remove that endpoint instead of committing sourcePath; its files must be what the render wrote, as for replace. Already removed: no commit',
            ),
        mode: z =>
          z
            .enum(['commit', 'pull-request'])
            .default('commit')
            .describe(
              'commit: only commit to branch. pull-request: then open a pull request from branch into baseBranch (gitea, github or gitlab hosts), or reuse the open one; once its pull request was merged or closed, a new branch from baseBranch (<branch>_2…)',
            ),
        pullRequestTitle: z =>
          z
            .string()
            .optional()
            .describe('Pull request title; default the commit message'),
        pullRequestBody: z =>
          z.string().optional().describe('Pull request description'),
        reviewers: z =>
          z
            .array(z.string())
            .max(20)
            .optional()
            .describe(
              "Mode pull-request: user names asked to review, by the host's user name rules (checked before anything is pushed)",
            ),
        labels: z =>
          z
            .array(z.string())
            .max(20)
            .optional()
            .describe(
              'Mode pull-request: labels to add (1–50 characters, no commas)',
            ),
        draft: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Mode pull-request: open it as a draft (GitHub draft, GitLab "Draft:" title, Gitea "WIP:" title)',
            ),
      },
      output: {
        commitSha: z =>
          z
            .string()
            .describe(
              'The new commit, or the branch head when nothing changed',
            ),
        commitUrl: z => z.string().describe('Browser URL of that commit'),
        branch: z =>
          z
            .string()
            .describe(
              'The branch written to (mode pull-request: the review branch while its pull request is open, else a new one from the base named <branch>_2, _3…)',
            ),
        changed: z =>
          z
            .boolean()
            .describe(
              'False when the content was already there (no commit made)',
            ),
        branchCreated: z => z.boolean(),
        files: z => z.array(z.string()).describe('Repository paths committed'),
        targetPath: z =>
          z
            .string()
            .describe(
              'Directory in the repository the files went to (the fixed layout)',
            ),
        pullRequestUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'Mode pull-request: browser URL of the pull request opened or reused',
            ),
        pullRequestNumber: z =>
          z
            .number()
            .optional()
            .describe(
              'Mode pull-request: its number (GitLab: the merge request iid; 0 in a dry run)',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const repoUrl = assertAllowedRepo(input.repoUrl, settings);
      const userToken = input.token || undefined;
      if (
        input.mode !== 'pull-request' &&
        (input.reviewers?.length || input.labels?.length || input.draft)
      ) {
        throw new InputError(
          'reviewers, labels, draft: only for mode pull-request; there is no pull request in mode commit',
        );
      }
      // Before anything is pushed: the host must be able to open the pull request, with these reviewers and labels.
      const opener: PullRequestOpener | undefined =
        input.mode === 'pull-request'
          ? await repository.pullRequestOpener(repoUrl, { userToken })
          : undefined;
      opener?.check({ reviewers: input.reviewers, labels: input.labels });
      if (input.replace && input.removeGateway !== undefined) {
        throw new InputError(
          'replace, removeGateway: give one; replace commits a changed endpoint, removeGateway removes one',
        );
      }
      let targetPath: string;
      let files: GitOpsFile[];
      let gateway: { namespace: string; name: string } | undefined;
      if (input.removeGateway !== undefined) {
        gateway = parseGatewayRef(input.removeGateway);
        targetPath = endpointTargetPath(gateway.namespace, gateway.name);
        files = [];
      } else {
        const bundle = verifyRenderedBundle(
          await readWorkspaceFiles(
            workspaceSource(ctx.workspacePath, input.sourcePath),
            input.sourcePath,
          ),
          guardrails,
        );
        targetPath = bundle.targetPath;
        if (
          input.targetPath !== undefined &&
          input.targetPath.replace(/^\/+|\/+$/g, '') !== targetPath
        ) {
          throw new InputError(
            `targetPath: "${input.targetPath}" is not where the ${bundle.subject} lives; the repository layout is fixed so one object has one path: ${targetPath} [fixed-layout]`,
          );
        }
        if (input.replace && !bundle.gateway) {
          throw new InputError(
            `replace: only an endpoint's files are replaced this way, not the ${bundle.subject}`,
          );
        }
        if (input.replace) gateway = bundle.gateway;
        files = bundle.files.map(f => ({
          path: `${targetPath}/${f.name}`,
          content: f.content,
        }));
      }
      let baseBranch = input.baseBranch;
      // Mode pull-request: the review branch is reused only while its pull request is open.
      let branch = input.branch;
      if (opener) {
        const remote = await repository.describeRemote(repoUrl, {
          signal: ctx.signal,
          userToken,
        });
        baseBranch ??= remote.defaultBranch;
        if (!baseBranch) {
          throw new InputError(
            `baseBranch: ${repoUrl.href} names no default branch; mode pull-request needs baseBranch, the branch the pull request goes into`,
          );
        }
        if (baseBranch === input.branch) {
          throw new InputError(
            `branch: mode pull-request needs a branch other than its base "${baseBranch}"; commit to a review branch`,
          );
        }
        branch = await reviewBranchFor(ctx, opener, {
          preferred: input.branch,
          baseBranch,
          branches: remote.branches,
          step: 'gitops',
        });
      }
      // A change or removal: what is there now must be ours, and the initiator's to change.
      let current: CurrentEndpoint | undefined;
      if (gateway) {
        current = await readCurrentEndpoint(repository, repoUrl, {
          ...gateway,
          branch,
          baseBranch: input.baseBranch,
          userToken,
          signal: ctx.signal,
        });
        if (current) await checkEndpointOwnership(ctx, ownership, current, {});
        if (!current && input.removeGateway !== undefined) {
          ctx.logger.info(
            `${targetPath} holds no manifests the portal wrote on ${branch}; nothing to remove, no commit made`,
          );
          ctx.output('changed', false);
          ctx.output('files', []);
          ctx.output('targetPath', targetPath);
          ctx.output('branch', branch);
          return;
        }
        if (current) {
          const diff = describeFileChanges(current.files, files);
          ctx.logger.info(
            diff
              ? `Changes to ${targetPath} (${current.branch} at ${current.commitSha}):\n${diff}`
              : `${targetPath} already has this content on ${current.branch}`,
          );
        }
      }
      const profile = ctx.user?.entity?.spec?.profile;
      const author: GitIdentity = profile?.email
        ? {
            name:
              profile.displayName ??
              ctx.user?.entity?.metadata.name ??
              profile.email,
            email: profile.email,
          }
        : settings.committer;
      const commit = {
        repoUrl: repoUrl.href,
        branch,
        baseBranch,
        files,
        message: input.commitMessage,
        author,
        committer: settings.committer,
        overwrite: input.overwrite,
        // One object, one path: a file another render left in the folder (a route added to someone else's Gateway) is refused.
        ownedFiles: { directory: targetPath, names: RENDERED_FILE_NAME },
        // A change or removal: exactly the files read and checked above, as they were read.
        ...(current ? { replaces: current.files } : {}),
      };

      const result = ctx.isDryRun
        ? await repository.commitFiles({
            ...commit,
            repoUrl,
            userToken,
            dryRun: true,
            signal: ctx.signal,
          })
        : await ctx.checkpoint({
            // Same repository, branch and content → same key: a recovered task does not commit twice.
            key: `gitops-commit-${checkpointDigest(commit)}`,
            fn: async () => {
              const r = await repository.commitFiles({
                ...commit,
                repoUrl,
                userToken,
                signal: ctx.signal,
              });
              ctx.logger.info(
                r.changed
                  ? `Committed ${
                      r.files.filter(f => f.status !== 'unchanged').length
                    } file(s) to ${r.branch}: ${r.commitSha} (${
                      r.attempts
                    } attempt(s))`
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
      ctx.output('targetPath', targetPath);

      if (!opener || !baseBranch) return;
      if (!result.changed && result.branchCreated) {
        ctx.logger.info(
          `${baseBranch} already has this content; no branch pushed and no pull request needed`,
        );
        return;
      }
      const request = {
        head: branch,
        base: baseBranch,
        title: input.pullRequestTitle ?? input.commitMessage.split('\n')[0],
        body:
          input.pullRequestBody ??
          `Opened by Backstage (${
            AWS_GATEWAY_ACTION_ID.gitopsCommit
          }).\n\nFiles:\n${result.files
            .map(f => (typeof f === 'string' ? f : f.path))
            .map(f => `- ${f}`)
            .join('\n')}\n`,
        reviewers: input.reviewers,
        labels: input.labels,
        draft: input.draft,
      };
      const pullRequest = ctx.isDryRun
        ? { number: 0, url: opener.previewUrl(0), created: true }
        : await ctx.checkpoint({
            // Same repository, branches and content → same key: a recovered task opens nothing new.
            key: `gitops-pull-request-${checkpointDigest({
              ...commit,
              branch: `${branch}\n${baseBranch}`,
            })}`,
            fn: async () => {
              // The push above is a write: a task cancelled since then opens nothing.
              if (ctx.signal?.aborted)
                throw new ServiceUnavailableError(
                  'the task was cancelled after the push; no pull request opened',
                );
              const pr = await opener.open(request, { signal: ctx.signal });
              const as = opener.source === 'user' ? ' as the user' : '';
              ctx.logger.info(
                pr.created
                  ? `Opened pull request #${pr.number}${as} from ${request.head} into ${request.base}: ${pr.url}`
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
  replaces?: GitOpsFile[];
}): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${commit.repoUrl}\n${commit.branch}\n`);
  for (const f of commit.files) hash.update(`${f.path}\n${f.content}\n`);
  for (const f of commit.replaces ?? [])
    hash.update(`replaces ${f.path}\n${f.content}\n`);
  return hash.digest('hex').slice(0, 16);
}

function workspaceSource(workspacePath: string, sourcePath: string): string {
  try {
    return resolveSafeChildPath(workspacePath, sourcePath);
  } catch {
    throw new InputError(
      `sourcePath: "${sourcePath}" must stay inside the workspace (outside of it is refused)`,
    );
  }
}

function parseGatewayRef(ref: string): { namespace: string; name: string } {
  const parts = ref.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new InputError(
      `removeGateway: "${ref}" is not <namespace>/<name> of a Gateway`,
    );
  }
  return { namespace: parts[0], name: parts[1] };
}
