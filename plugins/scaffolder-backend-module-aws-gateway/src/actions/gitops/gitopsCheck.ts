import { InputError } from '@backstage/errors';
import {
  assertBranchName,
  AWS_GATEWAY_ACTION_ID,
  GitOpsRepository,
  planBranch,
} from '@gateway-portal/plugin-aws-gateway-node';
import { examples } from './gitopsCheck.examples';
import {
  assertAllowedRepo,
  GitOpsSettings,
  repositoryInputFields,
} from './gitopsSettings';
import {
  controllerTargetPath,
  endpointTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import { createAwsGatewayAction } from '../support/inputDefaults';

/**
 * Checks, read-only, what `aws-gateway:gitops:commit` will need, so that a
 * template can refuse a bad GitOps repository before any step writes
 * anything: the repository is allowed by configuration, its host has an SCM
 * integration with credentials (or the user's `token` is given), the
 * repository can be read with them, and the
 * branch (or the base branch it would be created from) exists. Runs the same
 * in a dry run.
 *
 * @public
 */
export function createGitOpsCheckAction(options: {
  repository: Pick<
    GitOpsRepository,
    'describeRemote' | 'checkWritableDirectory'
  >;
  settings: GitOpsSettings;
}) {
  const { repository, settings } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.gitopsCheck,
    description:
      'Checks, without writing anything, that a GitOps repository is allowed and readable with the integration credentials and that the branch or its base branch exists; put it first in a template.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repositoryInputFields,
        gateway: z =>
          z
            .string()
            .optional()
            .describe(
              '<namespace>/<name> of the Gateway a later commit step writes: its folder must be writable (no link, submodule or file on the way)',
            ),
        controllerCluster: z =>
          z
            .string()
            .optional()
            .describe(
              'Cluster whose controller setup a later commit step writes: its folder must be writable',
            ),
      },
      output: {
        repoUrl: z => z.string().describe('The normalised repository URL'),
        branch: z => z.string(),
        headSha: z =>
          z
            .string()
            .optional()
            .describe('Head commit of the branch, when it exists'),
        branchExists: z =>
          z
            .boolean()
            .describe(
              'False when a commit would create the branch from its base',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The folder checked for the Gateway or the controller setup',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const repoUrl = assertAllowedRepo(input.repoUrl, settings);
      assertBranchName('branch', input.branch);
      if (input.baseBranch !== undefined)
        assertBranchName('baseBranch', input.baseBranch);

      const targetPath = checkedFolder(input.gateway, input.controllerCluster);

      // With the user's token when given: the commit step will use it too.
      const userToken = input.token || undefined;
      const remote = await repository.describeRemote(repoUrl, {
        signal: ctx.signal,
        userToken,
      });
      const plan = planBranch(
        remote,
        repoUrl.href,
        input.branch,
        input.baseBranch,
      );
      if (targetPath) {
        await repository.checkWritableDirectory(repoUrl, {
          branch: input.branch,
          baseBranch: input.baseBranch,
          directory: targetPath,
          signal: ctx.signal,
          userToken,
        });
        ctx.logger.info(
          `${targetPath} can be written on ${plan.base}: no link, submodule or file on the way`,
        );
      }
      ctx.logger.info(
        plan.branchExists
          ? `${repoUrl.href} is allowed and readable; ${input.branch} is at ${plan.baseSha}`
          : `${repoUrl.href} is allowed and readable; ${input.branch} does not exist yet and would be created from ${plan.base} (${plan.baseSha})`,
      );

      ctx.output('repoUrl', repoUrl.href);
      ctx.output('branch', input.branch);
      if (plan.branchExists) ctx.output('headSha', plan.baseSha);
      ctx.output('branchExists', plan.branchExists);
      if (targetPath) ctx.output('targetPath', targetPath);
    },
  });
}

/**
 * The folder a later commit writes, from the repository layout's one home
 * (renderedBundle). Only the path's shape is checked here: the names
 * themselves are the render step's to judge, with its own rules.
 */
function checkedFolder(
  gateway: string | undefined,
  controllerCluster: string | undefined,
): string | undefined {
  if (gateway !== undefined && controllerCluster !== undefined) {
    throw new InputError(
      'gateway, controllerCluster: give one of them, for the one folder a later commit step writes',
    );
  }
  const safe = (part: string | undefined) =>
    !!part && !/^\.*$/.test(part) && !/[\\/]/.test(part);
  if (gateway !== undefined) {
    const [namespace, name, ...rest] = gateway.split('/');
    if (rest.length || !safe(namespace) || !safe(name)) {
      throw new InputError(`gateway: "${gateway}" must be <namespace>/<name>`);
    }
    return endpointTargetPath(namespace, name);
  }
  if (controllerCluster !== undefined) {
    if (!safe(controllerCluster))
      throw new InputError(
        `controllerCluster: "${controllerCluster}" must be a cluster name`,
      );
    return controllerTargetPath(controllerCluster);
  }
  return undefined;
}
