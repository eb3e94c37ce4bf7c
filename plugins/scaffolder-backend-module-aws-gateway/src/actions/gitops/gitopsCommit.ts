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
 *
 * @public
 */
export function createGitOpsCommitAction(options: {
  repository: GitOpsRepository;
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
      },
      output: {
        commitSha: z => z.string().describe('The new commit, or the branch head when nothing changed'),
        commitUrl: z => z.string().describe('Browser URL of that commit'),
        branch: z => z.string(),
        changed: z => z.boolean().describe('False when the content was already there (no commit made)'),
        branchCreated: z => z.boolean(),
        files: z => z.array(z.string()).describe('Repository paths committed'),
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
      };
      assertAllowedRepo(input.repoUrl, settings);
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
      const commit = {
        repoUrl: input.repoUrl,
        branch: input.branch,
        baseBranch: input.baseBranch,
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
