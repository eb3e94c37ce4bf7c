import { InputError } from '@backstage/errors';
import {
  L4_ROUTE_KIND_FOR_PROTOCOL,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  assertSharedListenerHostname,
  AWS_GATEWAY_ACTION_ID,
  findSharedGateway,
  GitOpsFile,
  manifestToYaml,
  parseSharedGatewayManifest,
  planSharedListener,
  readSharedGatewayManifest,
  SHARED_LISTENER_PROTOCOLS,
  sharedReviewBranch,
} from '@gateway-portal/plugin-aws-gateway-node';
import { assertAllowedRepo } from '../gitops/gitopsSettings';
import { createAwsGatewayAction } from '../support/inputDefaults';
import {
  SharedGatewayActionDeps,
  sharedListenerEditInputFields,
  userTokenFor,
} from './editSharedListener';
import {
  assertNamespacesAllowed,
  dryRunSharedGatewayEdit,
  readSharedGatewayCluster,
  targetGroupConfigurationCheckOutput,
} from './sharedGatewayCluster';
import {
  pendingReviewsOutput,
  readOtherPendingReviews,
} from './pendingReviews';
import { exposeReviewTitle } from './exposeReview';
import { examples } from './sharedListener.examples';
import {
  chooseSharedReviewBranch,
  commitToSharedGateway,
  sharedGatewayCommitOutputs,
} from './sharedGatewayCommit';

/**
 * A listener on a shared Gateway the platform team owns (one NLB for many
 * endpoints), through GitOps: the Gateway's manifest in the platform's
 * repository gets one listener (the parsed YAML edited, never the text), the
 * app gets a route with the shared Gateway as parent and the listener as
 * section, and a ReferenceGrant where the backend Service lives in another
 * namespace. Everything is checked read-only first — the Gateway is in
 * `awsGateway.provisioning.sharedGateways`, its repository is allowed, the
 * app and backend namespaces pass the render guardrails and the ownership
 * rule, the port is free live, in the repository and in the portal's other
 * open review pull requests on the Gateway, the listener admits the
 * app namespace, the repository's manifest has every live listener, and the
 * cluster accepts the result in a server-side dry run — then the files are
 * committed on a review branch (replacing the manifest only if it is still as
 * read) and a pull request opened, or the open one reused. A dry run shows
 * the Gateway diff and the new objects. A TLS listener is passed through
 * (`tls.mode: Passthrough`) on a host name the platform allows, with a
 * TLSRoute and a TargetGroupConfiguration giving the Service TCP target
 * groups (refused when the Service already has another one).
 *
 * @public
 */
export function createSharedListenerAction(options: SharedGatewayActionDeps) {
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
            .describe(
              'TCP, UDP or TLS (passed through: your Service terminates TLS), as the shared Gateway offers',
            ),
        hostname: z =>
          z
            .string()
            .optional()
            .describe(
              "TLS only: the listener's host name (one the shared Gateway's tlsHostnames allow, e.g. db.apps.example.com or *.team.apps.example.com); empty for TCP and UDP",
            ),
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
        mode: sharedListenerEditInputFields.mode,
        token: sharedListenerEditInputFields.token,
        tokenRepoUrl: sharedListenerEditInputFields.tokenRepoUrl,
      },
      output: {
        gatewayDiff: z =>
          z.string().describe("Unified diff of the shared Gateway's manifest"),
        files: z => z.array(z.string()).describe('Repository paths written'),
        ...sharedGatewayCommitOutputs,
        gatewayRef: z =>
          z
            .string()
            .describe('<cluster>/<namespace>/<name> of the shared Gateway'),
        routeRef: z => z.string().describe('<namespace>/<route name>'),
        serverDryRun: z => z.enum(['passed']),
        ...pendingReviewsOutput,
        ...targetGroupConfigurationCheckOutput,
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const shared = findSharedGateway(sharedGateways, input.sharedGateway);
      // The form sends an empty host name for TCP and UDP.
      const hostname = input.hostname || undefined;
      assertSharedListenerHostname(shared, {
        protocol: input.protocol,
        hostname,
      });
      const repoUrl = assertAllowedRepo(shared.gitops.repoUrl, settings);
      const userToken = userTokenFor(repoUrl, input, settings);
      const backendNamespace = input.serviceNamespace ?? input.namespace;
      assertNamespacesAllowed(guardrails, input.namespace, backendNamespace);
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

      const { kubeConfig, profile, liveGateway, routeNamespaceLabels } =
        await readSharedGatewayCluster({
          clusters,
          guardrails,
          shared,
          routeNamespace: input.namespace,
          routeKind: L4_ROUTE_KIND_FOR_PROTOCOL[input.protocol],
          requestedProfile: input.controllerProfile,
          signal: ctx.signal,
        });
      if (!routeNamespaceLabels) {
        throw new InputError(
          `namespace: ${input.namespace} does not exist on cluster ${shared.cluster} [namespace-not-found]`,
        );
      }

      const baseBranch = shared.gitops.branch;
      const branch = opener
        ? await chooseSharedReviewBranch(
            ctx,
            { repository, opener },
            {
              repoUrl,
              preferred: sharedReviewBranch(input.namespace, input.routeName),
              baseBranch,
              userToken,
              step: 'shared-listener',
            },
          )
        : baseBranch;
      // The review branch when a run already made it (a re-run reuses it), else the Gateway's branch.
      const read = { baseBranch, signal: ctx.signal, userToken };
      // The base's read also gives the TargetGroupConfigurations committed there (same fetch).
      const onBranch = await readSharedGatewayManifest(
        repository,
        repoUrl,
        shared,
        { ...read, branch, targetGroupConfigurations: branch === baseBranch },
      );
      const current = onBranch.file;
      const onBase =
        branch === baseBranch
          ? onBranch
          : await readSharedGatewayManifest(repository, repoUrl, shared, {
              ...read,
              branch: baseBranch,
              targetGroupConfigurations: true,
            });
      const { gateway: baseGateway } = parseSharedGatewayManifest(
        shared,
        onBase.file.content,
      );
      const pending = await readOtherPendingReviews(
        ctx,
        { repository, opener },
        {
          repoUrl,
          shared,
          baseGateway,
          exceptBranch: branch === baseBranch ? undefined : branch,
          userToken,
        },
      );
      const plan = planSharedListener({
        shared,
        request: {
          sharedGateway: shared.id,
          namespace: input.namespace,
          listenerName: input.listenerName,
          listenerPort: input.listenerPort,
          protocol: input.protocol,
          ...(hostname ? { hostname } : {}),
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
        ...(branch === baseBranch ? {} : { baseGateway }),
        pendingClaims: pending.claims,
      });

      await dryRunSharedGatewayEdit(
        ctx,
        kubeConfig,
        shared,
        {
          gatewayYaml: plan.gatewayFile.content,
          manifests: plan.manifests.map(m => m.manifest),
        },
        {
          what: 'change',
          committed: {
            base: onBase.committed,
            reviews: pending.targetGroupConfigurations,
            reviewsNote: pending.targetGroupConfigurationsNote,
          },
        },
      );
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
      ctx.output('gatewayDiff', plan.gatewayDiff);
      ctx.output(
        'files',
        files.map(f => f.path),
      );
      ctx.output('gatewayRef', shared.id);
      ctx.output('routeRef', `${input.namespace}/${input.routeName}`);
      ctx.output('serverDryRun', 'passed');

      await commitToSharedGateway(
        ctx,
        { repository, settings, opener },
        {
          repoUrl,
          branch,
          baseBranch,
          files,
          // The platform's manifest is replaced only if nobody changed it since it was read.
          replaces: [current],
          message: exposeReviewTitle(shared, {
            ...input,
            backend: { service: input.serviceName, port: input.servicePort },
          }),
          body: `Opened by Backstage (${
            AWS_GATEWAY_ACTION_ID.sharedListener
          }).\n\n\`\`\`diff\n${plan.gatewayDiff}\`\`\`\n\nNew files:\n${files
            .slice(1)
            .map(f => `- ${f.path}`)
            .join('\n')}\n`,
          userToken,
          step: 'shared-listener',
        },
      );
    },
  });
}
