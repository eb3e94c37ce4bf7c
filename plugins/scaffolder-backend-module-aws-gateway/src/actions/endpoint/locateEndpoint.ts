import path from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  endpointTargetPath,
  L4_ROUTE_KINDS,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  GitOpsRepository,
  RepositoryUrl,
  SharedGateway,
} from '@gateway-portal/plugin-aws-gateway-node';
import { assertAllowedRepo, GitOpsSettings } from '../gitops/gitopsSettings';
import { parseManifest, RENDERED_FILE_NAME } from '../gitops/renderedBundle';
import {
  createAwsGatewayAction,
  OptionalString,
} from '../support/inputDefaults';
import { assertFolderNames } from './currentEndpoint';
import { existingEndpointInputFields } from './existingEndpointInput';
import {
  openExposeReview,
  readSharedRouteFolder,
} from './currentSharedListener';
import { examples } from './locateEndpoint.examples';

/** The two kinds of endpoint the change and remove templates handle. */
export const ENDPOINT_KINDS_LOCATED = ['gateway', 'shared-listener'] as const;

/**
 * Which kind an endpoint is, for the change and remove templates to take the
 * right branch: a Gateway of its own (`gateways/<namespace>/<name>/` in the
 * GitOps repository given) or a listener on a shared Gateway (the route
 * folder `shared-gateway-routes/<namespace>/<name>/` in the repository of a
 * configured shared Gateway, whose route names it as parent — on the
 * Gateway's branch, else on its expose pull request's branch while that is
 * open). Only where the portal writes is looked at, and only configured
 * shared Gateways; what the files say is hostile and decides nothing else —
 * the change and removal actions check them. Neither, or both: an error naming the fields. Reads
 * only.
 *
 * @public
 */
export function createLocateEndpointAction(options: {
  sharedGateways: SharedGateway[];
  repository: Pick<
    GitOpsRepository,
    'readFiles' | 'describeRemote' | 'pullRequestOpener'
  >;
  settings: GitOpsSettings;
}) {
  const { sharedGateways, repository, settings } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.locateEndpoint,
    description:
      'Finds whether an endpoint the portal wrote is a Gateway of its own (in the GitOps repository given) or a listener on a shared Gateway (in the repository of a configured shared Gateway), for the change and remove templates. Reads only.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...existingEndpointInputFields,
        name: z =>
          z
            .string()
            .describe(
              'The Gateway name, or for a listener on a shared Gateway its route name',
            ),
        sharedGateway: (z): OptionalString =>
          z
            .string()
            .optional()
            .describe(
              'Only this shared Gateway (<cluster>/<namespace>/<name>), when several hold a route of that name',
            ),
      },
      output: {
        kind: z =>
          z
            .enum(ENDPOINT_KINDS_LOCATED)
            .describe(
              'gateway: a Gateway of its own. shared-listener: a listener on a shared Gateway',
            ),
        sharedGateway: z =>
          z
            .string()
            .optional()
            .describe('The shared Gateway, for kind shared-listener'),
        path: z =>
          z.string().describe("The endpoint's folder in its repository"),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const repoUrl = assertAllowedRepo(input.repoUrl, settings);
      const userToken = input.token || undefined;
      assertFolderNames({ namespace: input.namespace, name: input.name });
      const ownFolder = endpointTargetPath(input.namespace, input.name);
      const own = await repository.readFiles(repoUrl, {
        branch: input.branch,
        baseBranch: input.baseBranch,
        directory: ownFolder,
        userToken,
        signal: ctx.signal,
      });
      const isOwn = own.files.some(f =>
        RENDERED_FILE_NAME.test(path.posix.basename(f.path)),
      );

      const candidates = sharedGateways.filter(
        g =>
          (!input.cluster || g.cluster === input.cluster) &&
          (!input.sharedGateway || g.id === input.sharedGateway),
      );
      const where = { namespace: input.namespace, routeName: input.name };
      // Shared Gateways in one repository share the route folder: read it once, let the route's parent decide.
      const byRepo = new Map<string, SharedGateway[]>();
      for (const g of candidates) {
        byRepo.set(g.gitops.repoUrl, [
          ...(byRepo.get(g.gitops.repoUrl) ?? []),
          g,
        ]);
      }
      const repositories: Array<{
        sharedRepo: RepositoryUrl;
        gateways: SharedGateway[];
        token?: string;
      }> = [];
      for (const gateways of byRepo.values()) {
        try {
          const sharedRepo = assertAllowedRepo(
            gateways[0].gitops.repoUrl,
            settings,
          );
          // The user's token is for repoUrl's host: never sent to another.
          const token =
            sharedRepo.protocol === repoUrl.protocol &&
            sharedRepo.host === repoUrl.host
              ? userToken
              : undefined;
          repositories.push({ sharedRepo, gateways, token });
        } catch {
          ctx.logger.warn(
            `Not looking in the repository of ${gateways
              .map(g => g.id)
              .join(
                ', ',
              )}: awsGateway.provisioning.gitops.allowedRepoUrls does not allow it`,
          );
        }
      }
      /** The shared Gateways whose route folder on `branchOf(g)` holds the route (none without a branch). */
      const findShared = async (
        branchOf: (
          g: SharedGateway,
          repo: (typeof repositories)[number],
        ) => Promise<string | undefined>,
      ) => {
        const found: Array<{ g: SharedGateway; branch: string }> = [];
        for (const repo of repositories) {
          for (const g of repo.gateways) {
            const branch = await branchOf(g, repo);
            if (!branch) continue;
            const folder = await readSharedRouteFolder(
              repository,
              repo.sharedRepo,
              where,
              {
                branch,
                baseBranch: g.gitops.branch,
                userToken: repo.token,
                signal: ctx.signal,
              },
            );
            if (
              folder.files.length &&
              namesParent(folder.files, g, repo.gateways)
            )
              found.push({ g, branch });
          }
        }
        return found;
      };
      let found = await findShared(async g => g.gitops.branch);
      if (!isOwn && !found.length) {
        // Not merged yet: the route on its expose pull request's branch, while that is open.
        found = await findShared(async (g, repo) => {
          let opener;
          try {
            opener = await repository.pullRequestOpener(repo.sharedRepo, {
              userToken: repo.token,
            });
          } catch {
            return undefined; // a host that cannot open pull requests has no review open
          }
          const review = await openExposeReview(
            repository,
            opener,
            repo.sharedRepo,
            g,
            where,
            { userToken: repo.token, signal: ctx.signal },
          );
          return review?.branch;
        });
      }

      const endpoint = `${input.namespace}/${input.name}`;
      const places = [
        ...(isOwn ? [`a Gateway of its own (${ownFolder})`] : []),
        ...found.map(f => `a listener on shared Gateway ${f.g.id}`),
      ];
      if (places.length > 1) {
        throw new InputError(
          `name: ${endpoint} is ${places.join(
            ' and ',
          )}; name the shared Gateway (sharedGateway) or the cluster to say which [endpoint-ambiguous]`,
        );
      }
      if (isOwn) {
        ctx.logger.info(`${endpoint} is a Gateway of its own (${ownFolder})`);
        ctx.output('kind', 'gateway');
        ctx.output('path', ownFolder);
        return;
      }
      if (!found.length) {
        throw new NotFoundError(
          `${endpoint}: the portal wrote no endpoint of that name — neither ${ownFolder} in ${
            repoUrl.href
          } nor ${sharedListenerTargetPath(input.namespace, input.name)} for ${
            candidates.map(g => g.id).join(', ') || 'any shared Gateway'
          } (on their branches, nor on an open expose pull request)`,
        );
      }
      const [{ g, branch }] = found;
      const routeFolder = sharedListenerTargetPath(input.namespace, input.name);
      ctx.logger.info(
        `${endpoint} is a listener on shared Gateway ${
          g.id
        } (${routeFolder} in ${g.gitops.repoUrl}${
          branch === g.gitops.branch
            ? ''
            : `, on ${branch}: its expose pull request is still open`
        })`,
      );
      ctx.output('kind', 'shared-listener');
      ctx.output('sharedGateway', g.id);
      ctx.output('path', routeFolder);
    },
  });
}

/**
 * Whether the folder's route names `g` as parent. With one shared Gateway
 * in the repository the folder is its; a route that cannot be read is
 * counted for each (the change action refuses it, naming the file).
 */
function namesParent(
  files: Array<{ path: string; content: string }>,
  g: SharedGateway,
  sameRepo: SharedGateway[],
): boolean {
  if (sameRepo.length === 1) return true;
  for (const f of files) {
    const name = path.posix.basename(f.path);
    try {
      const manifest: any = parseManifest({ name, content: f.content });
      // The route names the parent; a ReferenceGrant or TargetGroupConfiguration beside it does not.
      if (!L4_ROUTE_KINDS.includes(manifest?.kind)) continue;
      const parent = manifest.spec?.parentRefs?.[0];
      return parent?.namespace === g.namespace && parent?.name === g.name;
    } catch {
      return true;
    }
  }
  return true;
}
