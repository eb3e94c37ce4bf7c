import {
  AWS_GATEWAY_ACTION_ID,
  GitOpsRepository,
} from '@gateway-portal/plugin-aws-gateway-node';
import { assertAllowedRepo, GitOpsSettings } from '../gitops/gitopsSettings';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { checkEndpointOwnership, readCurrentEndpoint } from './currentEndpoint';
import { existingEndpointInputFields } from './existingEndpointInput';
import { examples } from './planEndpointRemoval.examples';

/**
 * The first step of removing an endpoint: reads its manifests from the GitOps
 * repository and requires them to be exactly what
 * `aws-gateway:endpoint:render` wrote (the portal's label on each, no hand
 * edit), for a component the initiator may publish for — read-only, before
 * `aws-gateway:gitops:commit` with `removeGateway` deletes them (and checks
 * all of it again). Already removed: says so, and the commit step makes no
 * commit.
 *
 * @public
 */
export function createPlanEndpointRemovalAction(options: {
  repository: Pick<GitOpsRepository, 'readFiles'>;
  settings: GitOpsSettings;
  ownership: InitiatorOwnership;
}) {
  const { repository, settings, ownership } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.planEndpointRemoval,
    description:
      "Reads an endpoint's manifests from the GitOps repository and checks that the portal wrote them, nobody edited them since, and the user may remove them; lists the files a removal deletes. Reads only.",
    examples,
    supportsDryRun: true,
    schema: {
      input: existingEndpointInputFields,
      output: {
        files: z =>
          z
            .array(z.string())
            .describe(
              'Repository paths the removal deletes (none: already removed)',
            ),
        otherFiles: z =>
          z
            .array(z.string())
            .describe(
              'Files in the folder the portal did not write (a kustomization.yaml): left alone',
            ),
        gatewayRef: z =>
          z.string().describe('namespace/name, or cluster/namespace/name'),
        controllerProfile: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const repoUrl = assertAllowedRepo(input.repoUrl, settings);
      const current = await readCurrentEndpoint(repository, repoUrl, {
        namespace: input.namespace,
        name: input.name,
        branch: input.branch,
        baseBranch: input.baseBranch,
        userToken: input.token || undefined,
        signal: ctx.signal,
      });
      ctx.output(
        'gatewayRef',
        [input.cluster, input.namespace, input.name].filter(Boolean).join('/'),
      );
      if (!current) {
        ctx.logger.info(
          `Gateway ${input.namespace}/${input.name} has no manifests the portal wrote; nothing to remove`,
        );
        ctx.output('files', []);
        ctx.output('otherFiles', []);
        return;
      }
      await checkEndpointOwnership(ctx, ownership, current, {
        entityRef: input.entityRef,
        cluster: input.cluster,
      });
      ctx.logger.info(
        `Removing Gateway ${input.namespace}/${
          input.name
        } deletes ${current.files.map(f => f.path).join(', ')} from ${
          current.branch
        }${
          current.otherFiles.length
            ? `; left alone: ${current.otherFiles.join(', ')}`
            : ''
        }`,
      );
      ctx.output(
        'files',
        current.files.map(f => f.path),
      );
      ctx.output('otherFiles', current.otherFiles);
      ctx.output('controllerProfile', current.profile.id);
    },
  });
}
