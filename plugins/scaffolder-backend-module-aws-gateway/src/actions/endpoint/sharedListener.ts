import crypto from 'node:crypto';
import path from 'node:path';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  L4_ROUTE_KIND_FOR_PROTOCOL,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  findSharedGateway,
  GatewayGuardrails,
  GitOpsFile,
  GitOpsRepository,
  KubernetesClusters,
  KubernetesManifest,
  manifestToYaml,
  planSharedListener,
  readLiveGateway,
  readNamespaceLabels,
  serverSideDryRun,
  SHARED_LISTENER_PROTOCOLS,
  SharedGateway,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { assertAllowedRepo, GitOpsSettings } from '../gitops/gitopsSettings';
import {
  openAllowedCluster,
  resolveControllerProfile,
} from '../support/clusterAccess';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { manifestIssuesError } from '../support/manifestIssues';
import { examples } from './sharedListener.examples';

/**
 * A listener on a shared Gateway the platform team owns (one NLB for many
 * endpoints), through GitOps: the Gateway's manifest in the platform's
 * repository gets one listener (the parsed YAML edited, never the text), the
 * app gets a route with the shared Gateway as parent and the listener as
 * section, and a ReferenceGrant where the backend Service lives in another
 * namespace. Everything is checked read-only first — the Gateway is in
 * `awsGateway.provisioning.sharedGateways`, its repository is allowed, the
 * app and backend namespaces pass the render guardrails and the ownership
 * rule, the port is free live and in the repository, the listener admits the
 * app namespace, the repository's manifest has every live listener, and the
 * cluster accepts the result in a server-side dry run — then the files are
 * committed on a review branch (replacing the manifest only if it is still as
 * read) and a pull request opened, or the open one reused. A dry run shows
 * the Gateway diff and the new objects.
 *
 * @public
 */
export function createSharedListenerAction(options: {
  sharedGateways: SharedGateway[];
  repository: Pick<
    GitOpsRepository,
    'readFiles' | 'commitFiles' | 'pullRequestOpener'
  >;
  settings: GitOpsSettings;
  guardrails: GatewayGuardrails;
  clusters: KubernetesClusters;
  ownership: InitiatorOwnership;
}) {
  const { sharedGateways, repository, settings, guardrails, clusters } =
    options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.sharedListener,
    description:
      "Adds a listener for your Service to a shared Gateway the platform team owns: one listener in the Gateway's manifest in the platform's GitOps repository, your route (and a ReferenceGrant for a backend in another namespace), committed on a review branch with a pull request. Refuses a Gateway that is not configured, a port that is taken, a namespace the listener does not admit.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        sharedGateway: z =>
          z
            .string()
            .describe(
              'The shared Gateway, <cluster>/<namespace>/<name>, as awsGateway.provisioning.sharedGateways lists it',
            ),
        namespace: z =>
          z.string().describe('Your namespace: the route goes there'),
        listenerName: z =>
          z.string().describe('Name of the new listener (its sectionName)'),
        listenerPort: z =>
          z.number().int().describe('Port clients connect to on the NLB'),
        protocol: z =>
          z
            .enum(SHARED_LISTENER_PROTOCOLS)
            .default('TCP')
            .describe('TCP or UDP'),
        routeName: z => z.string().describe('Name of your route'),
        serviceName: z => z.string().describe('Your Service'),
        servicePort: z => z.number().int().describe("The Service's port"),
        serviceNamespace: z =>
          z
            .string()
            .optional()
            .describe(
              "The Service's namespace when not the route's (a ReferenceGrant is added there)",
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe('The component the endpoint belongs to'),
        kubernetesId: z =>
          z
            .string()
            .optional()
            .describe('backstage.io/kubernetes-id label value'),
        controllerProfile: z =>
          z
            .enum(['lbc-v3.5', 'lbc-v3.2', 'lbc-v2.17'])
            .optional()
            .describe("Default: what the shared Gateway's cluster runs"),
        mode: z =>
          z
            .enum(['pull-request', 'commit'])
            .default('pull-request')
            .describe(
              'pull-request (default): a review branch and a pull request into the branch the Gateway is applied from. commit: straight to that branch',
            ),
        token: z =>
          z
            .string()
            .optional()
            .describe(
              "The user's own token for the repository's host (RepoUrlPicker's requestUserCredentials); never logged",
            ),
      },
      output: {
        gatewayDiff: z =>
          z.string().describe("Unified diff of the shared Gateway's manifest"),
        files: z => z.array(z.string()).describe('Repository paths written'),
        branch: z => z.string(),
        commitSha: z => z.string(),
        commitUrl: z => z.string(),
        changed: z => z.boolean(),
        gatewayRef: z =>
          z
            .string()
            .describe('<cluster>/<namespace>/<name> of the shared Gateway'),
        routeRef: z => z.string().describe('<namespace>/<route name>'),
        serverDryRun: z => z.enum(['passed']),
        pullRequestUrl: z => z.string().optional(),
        pullRequestNumber: z => z.number().optional(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const shared = findSharedGateway(sharedGateways, input.sharedGateway);
      const repoUrl = assertAllowedRepo(shared.gitops.repoUrl, settings);
      const userToken = input.token || undefined;
      const backendNamespace = input.serviceNamespace ?? input.namespace;
      for (const [field, ns] of [
        ['namespace', input.namespace],
        ['serviceNamespace', backendNamespace],
      ] as const) {
        if (
          guardrails.allowedNamespaces &&
          !guardrails.allowedNamespaces.includes(ns)
        ) {
          throw new NotAllowedError(
            `${field}: endpoints may not go to namespace ${ns}; allowed: ${
              guardrails.allowedNamespaces.join(', ') || 'none'
            } [namespace-not-allowed]`,
          );
        }
      }
      // The confused-deputy rule for both namespaces the files go to.
      let entityRef = input.entityRef;
      for (const ns of new Set([input.namespace, backendNamespace])) {
        entityRef = await options.ownership.check(ctx, {
          entityRef,
          kubernetesId: input.kubernetesId,
          namespace: ns,
          cluster: shared.cluster,
        });
      }
      const opener =
        input.mode === 'pull-request'
          ? await repository.pullRequestOpener(repoUrl, { userToken })
          : undefined;

      const kubeConfig = await openAllowedCluster(
        clusters,
        guardrails,
        shared.cluster,
        ctx.signal,
      );
      const { profile } = await resolveControllerProfile({
        requested: input.controllerProfile,
        kubeConfig,
        cluster: shared.cluster,
        routeKinds: [L4_ROUTE_KIND_FOR_PROTOCOL[input.protocol]],
        guardrails,
        signal: ctx.signal,
      });
      const [liveGateway, routeNamespaceLabels] = await Promise.all([
        readLiveGateway(kubeConfig, shared.namespace, shared.name, ctx.signal),
        readNamespaceLabels(kubeConfig, input.namespace, ctx.signal),
      ]);
      if (!routeNamespaceLabels) {
        throw new InputError(
          `namespace: ${input.namespace} does not exist on cluster ${shared.cluster} [namespace-not-found]`,
        );
      }

      const baseBranch = shared.gitops.branch;
      const branch =
        input.mode === 'pull-request'
          ? `aws-gateway/shared-${input.namespace}-${input.routeName}`
          : baseBranch;
      // The review branch when a run already made it (a re-run reuses it), else the Gateway's branch.
      const read = await repository.readFiles(repoUrl, {
        branch,
        baseBranch,
        directory: path.posix.dirname(shared.gitops.path),
        signal: ctx.signal,
        userToken,
      });
      const current = read.files.find(f => f.path === shared.gitops.path);
      if (!current) {
        throw new InputError(
          `sharedGateway: ${shared.gitops.path} is not a file on ${read.branch} of ${repoUrl.href}; ask the platform team to check awsGateway.provisioning.sharedGateways [shared-gateway-manifest-missing]`,
        );
      }
      const plan = planSharedListener({
        shared,
        request: {
          sharedGateway: shared.id,
          namespace: input.namespace,
          listenerName: input.listenerName,
          listenerPort: input.listenerPort,
          protocol: input.protocol,
          routeName: input.routeName,
          backend: {
            service: input.serviceName,
            port: input.servicePort,
            ...(input.serviceNamespace
              ? { namespace: input.serviceNamespace }
              : {}),
          },
          ...(entityRef ? { entityRef } : {}),
          ...(input.kubernetesId ? { kubernetesId: input.kubernetesId } : {}),
        },
        repoGatewayYaml: current.content,
        liveGateway,
        routeNamespaceLabels,
        profile,
      });

      // The cluster must accept the Gateway as it will be and the new objects.
      const rejected = await serverSideDryRun(
        kubeConfig,
        [
          yaml.parse(plan.gatewayFile.content) as KubernetesManifest,
          ...plan.manifests.map(m => m.manifest),
        ],
        ctx.signal,
      );
      if (rejected.length) {
        throw manifestIssuesError(
          `Cluster ${shared.cluster} rejected the change (server-side dry run)`,
          rejected,
        );
      }
      ctx.logger.info(
        plan.gatewayChanged
          ? `Change to ${shared.gitops.path}:\n${plan.gatewayDiff}`
          : `${shared.gitops.path} already has listener ${input.listenerName}`,
      );
      const routeDir = sharedListenerTargetPath(
        input.namespace,
        input.routeName,
      );
      const files: GitOpsFile[] = [
        plan.gatewayFile,
        ...plan.manifests.map(m => ({
          path: `${routeDir}/${m.path}`,
          content: manifestToYaml(m.manifest),
        })),
      ];
      for (const f of files.slice(1)) {
        ctx.logger.info(`New object ${f.path}:\n${f.content}`);
      }
      ctx.signal?.throwIfAborted();

      const commit = {
        repoUrl,
        branch,
        baseBranch,
        files,
        // The platform's manifest is replaced only if nobody changed it since it was read.
        replaces: [current],
        message: `Listener ${input.listenerName} (${input.protocol} ${input.listenerPort}) on shared Gateway ${shared.namespace}/${shared.name} for ${input.namespace}/${input.serviceName}:${input.servicePort}`,
        author: settings.committer,
        committer: settings.committer,
        userToken,
      };
      const result = ctx.isDryRun
        ? await repository.commitFiles({
            ...commit,
            dryRun: true,
            signal: ctx.signal,
          })
        : await ctx.checkpoint({
            key: `shared-listener-commit-${digest(branch, files)}`,
            fn: async () => {
              const r = await repository.commitFiles({
                ...commit,
                signal: ctx.signal,
              });
              return {
                commitSha: r.commitSha,
                commitUrl: r.commitUrl,
                branch: r.branch,
                changed: r.changed,
              };
            },
          });
      ctx.output('gatewayDiff', plan.gatewayDiff);
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('branch', result.branch);
      ctx.output('commitSha', result.commitSha);
      ctx.output('commitUrl', result.commitUrl);
      ctx.output('changed', result.changed);
      ctx.output('gatewayRef', shared.id);
      ctx.output('routeRef', `${input.namespace}/${input.routeName}`);
      ctx.output('serverDryRun', 'passed');
      if (!opener) return;

      const request = {
        head: branch,
        base: baseBranch,
        title: commit.message,
        body: `Opened by Backstage (${
          AWS_GATEWAY_ACTION_ID.sharedListener
        }).\n\n\`\`\`diff\n${plan.gatewayDiff}\`\`\`\n\nNew files:\n${files
          .slice(1)
          .map(f => `- ${f.path}`)
          .join('\n')}\n`,
      };
      const pullRequest = ctx.isDryRun
        ? { number: 0, url: opener.previewUrl(0) }
        : await ctx.checkpoint({
            key: `shared-listener-pull-request-${digest(
              `${branch}\n${baseBranch}`,
              files,
            )}`,
            fn: async () => {
              if (ctx.signal?.aborted)
                throw new ServiceUnavailableError(
                  'the task was cancelled after the push; no pull request opened',
                );
              const pr = await opener.open(request, { signal: ctx.signal });
              ctx.logger.info(
                pr.created
                  ? `Opened pull request #${pr.number}: ${pr.url}`
                  : `Pull request #${pr.number} is already open: ${pr.url}`,
              );
              return { number: pr.number, url: pr.url };
            },
          });
      ctx.output('pullRequestUrl', pullRequest.url);
      ctx.output('pullRequestNumber', pullRequest.number);
    },
  });
}

function digest(branch: string, files: GitOpsFile[]): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${branch}\n`);
  for (const f of files) hash.update(`${f.path}\n${f.content}\n`);
  return hash.digest('hex').slice(0, 16);
}
