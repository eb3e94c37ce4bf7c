import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  CONTROLLER_PROFILE_IDS,
  ControllerProfileId,
  EndpointSpec,
  L4_ROUTE_KIND_FOR_PROTOCOL,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  endpointControllerNotes,
  endpointListenerRoutes,
  GatewayGuardrails,
  KubernetesClusters,
  manifestToYaml,
  readServices,
  renderEndpointManifests,
  serverSideDryRun,
  validateEndpointSpec,
  validateManifests,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeConfig } from '@kubernetes/client-node';
import {
  openAllowedCluster,
  resolveControllerProfile,
} from '../support/clusterAccess';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { manifestIssuesError } from '../support/manifestIssues';
import { examples } from './renderEndpoint.examples';
import { createAwsGatewayAction, ZodImpl } from '../support/inputDefaults';

/** One backend Service port of a route (or of a listener that carries its backends). */
const backendSchema = (z: ZodImpl) =>
  z.object({
    service: z.string().describe('Service name in the namespace'),
    port: z.number().int().describe('Service port'),
    weight: z
      .number()
      .int()
      .optional()
      .describe(
        "Relative weight, 0 to 999 (the load balancer's forward weights); default 1; 0 gets no target group",
      ),
  });

/**
 * Renders the Gateway, routes, LoadBalancerConfiguration and
 * TargetGroupConfigurations of one L4 endpoint into the workspace, after
 * checking them against our rules, the guardrails and — when a cluster is
 * given — the cluster itself (profile detection, Services, server-side dry
 * run). Before any of that reads the cluster, the initiator must own the
 * component (see InitiatorOwnership). Nothing is written when any check fails.
 *
 * @public
 */
export function createRenderEndpointAction(options: {
  guardrails: GatewayGuardrails;
  clusters: KubernetesClusters;
  ownership: InitiatorOwnership;
}) {
  const { guardrails, clusters, ownership } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.renderEndpoint,
    description:
      'Renders AWS Load Balancer Controller Gateway API manifests (Gateway, TCP/UDP/TLS routes, LoadBalancerConfiguration, TargetGroupConfiguration) for an L4 endpoint into the workspace, validated against the controller version the cluster runs.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe('Gateway name; also names its LoadBalancerConfiguration'),
        namespace: z =>
          z
            .string()
            .describe('Namespace of the Gateway, routes and backend Services'),
        gatewayClassName: z =>
          z
            .string()
            .optional()
            .describe(
              'GatewayClass; default from awsGateway.provisioning.gateways.gatewayClassName',
            ),
        listeners: z =>
          z
            .array(
              z.object({
                name: z.string().describe('Listener name (DNS label)'),
                protocol: z
                  .enum(['TCP', 'UDP', 'TLS'])
                  .describe(
                    'TLS is passed through: the NLB forwards the TLS bytes untouched (TCP listener and target group)',
                  ),
                port: z.number().int().describe('Port the NLB listens on'),
                hostname: z
                  .string()
                  .optional()
                  .describe(
                    'TLS only: the host name clients use (required by the Gateway API; the NLB does not route by it)',
                  ),
                backends: z
                  .array(backendSchema(z))
                  .optional()
                  .describe(
                    "The listener's backends: its route is rendered from them (then no entry of routes names this listener)",
                  ),
                routeName: z
                  .string()
                  .optional()
                  .describe(
                    'With backends: the name of the route rendered for them; default <name>-<listener name>',
                  ),
              }),
            )
            .describe(
              'Gateway listeners, each a port of the load balancer; TCP and UDP may share a port (one TCP_UDP listener, the same backends)',
            ),
        routes: z =>
          z
            .array(
              z.object({
                name: z.string().describe('Route name'),
                listener: z
                  .string()
                  .describe(
                    'Listener name the route attaches to; its protocol picks TCPRoute, UDPRoute or TLSRoute',
                  ),
                backends: z
                  .array(backendSchema(z))
                  .describe('Backend Services'),
              }),
            )
            .default([])
            .describe(
              'One route per listener, for listeners that do not carry their backends',
            ),
        scheme: z =>
          z
            .enum(['internal', 'internet-facing'])
            .default('internal')
            .describe('internet-facing makes a public NLB'),
        sourceCidrs: z =>
          z
            .array(z.string())
            .default([])
            .describe(
              'CIDRs allowed to connect; required for internet-facing unless configuration allows 0.0.0.0/0',
            ),
        targetType: z =>
          z
            .enum(['ip', 'instance'])
            .default('ip')
            .describe(
              'ip registers pod IPs (works with ClusterIP Services); instance needs a NodePort',
            ),
        healthCheck: z =>
          z
            .object({
              protocol: z.string().optional().describe('HTTP, HTTPS or TCP'),
              port: z
                .string()
                .optional()
                .describe('Port number or traffic-port'),
              path: z.string().optional().describe('HTTP(S) path'),
              intervalSeconds: z.number().int().optional(),
              timeoutSeconds: z.number().int().optional(),
              healthyThreshold: z.number().int().optional(),
              unhealthyThreshold: z.number().int().optional(),
              matcher: z
                .string()
                .optional()
                .describe('HTTP codes, e.g. 200-399'),
            })
            .optional()
            .describe('Target group health check'),
        tags: z =>
          z
            .record(z.string())
            .optional()
            .describe('AWS tags on the NLB and target groups'),
        loadBalancerName: z =>
          z
            .string()
            .optional()
            .describe('Explicit NLB name, at most 32 characters'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog entity the endpoint belongs to (annotation on each manifest)',
            ),
        kubernetesId: z =>
          z
            .string()
            .optional()
            .describe(
              "The entity's backstage.io/kubernetes-id (label on each manifest, so the status card finds them)",
            ),
        controllerProfile: z =>
          z
            .enum(
              CONTROLLER_PROFILE_IDS as [
                ControllerProfileId,
                ...ControllerProfileId[],
              ],
            )
            .optional()
            .describe(
              'lbc-v2.17 (Gateway API v1.3, v1alpha2 routes), lbc-v3.2 or lbc-v3.5 (Gateway API v1.6, v1 routes); detected from the cluster when omitted',
            ),
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              "Cluster (one of the Kubernetes plugin's clusters) to detect the profile, read Services and dry-run against",
            ),
        serverDryRun: z =>
          z
            .boolean()
            .default(true)
            .describe(
              'With a cluster: validate every manifest by server-side apply with dryRun=All',
            ),
        outputDir: z =>
          z
            .string()
            .default('manifests')
            .describe('Workspace directory the YAML files are written to'),
      },
      output: {
        controllerProfile: z =>
          z.string().describe('Profile the manifests target'),
        controllerProfileSource: z =>
          z.enum(['cluster', 'input', 'configuration']),
        routeApiVersion: z =>
          z.string().describe('apiVersion of the rendered routes'),
        files: z =>
          z
            .array(z.string())
            .describe('Workspace-relative paths of the written files'),
        outputDir: z => z.string(),
        gatewayRef: z =>
          z
            .string()
            .describe(
              '[cluster/]namespace/name, the value for the aws-gateway.io/gateways annotation',
            ),
        serverDryRun: z => z.enum(['passed', 'skipped']),
        controllerNotes: z =>
          z
            .array(z.string())
            .describe(
              'How the controller will serve each load balancer port (TCP_UDP merging, TLS passthrough, weighted target groups)',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const parts = endpointListenerRoutes(
        input.name,
        input.listeners,
        input.routes,
      );
      const spec: EndpointSpec = {
        name: input.name,
        namespace: input.namespace,
        gatewayClassName: input.gatewayClassName ?? guardrails.gatewayClassName,
        listeners: parts.listeners,
        routes: parts.routes,
        scheme: input.scheme,
        sourceCidrs: input.sourceCidrs,
        targetType: input.targetType,
        healthCheck: input.healthCheck,
        tags: input.tags,
        loadBalancerName: input.loadBalancerName,
        entityRef: input.entityRef,
        kubernetesId: input.kubernetesId,
      };
      // Everything that needs no cluster first: a bad input fails fast.
      const offlineIssues = [
        ...parts.issues,
        ...parts.inInputFields(validateEndpointSpec(spec, { guardrails })),
      ];
      if (offlineIssues.length) {
        throw manifestIssuesError(
          `Endpoint ${spec.namespace}/${spec.name} is invalid`,
          offlineIssues,
        );
      }
      // The confused-deputy rule, read-only and before the cluster is read:
      // the Service read and the manifests stay in the namespace it allowed
      // (backendRefs carry no namespace of their own).
      spec.entityRef = await ownership.check(ctx, {
        entityRef: spec.entityRef,
        kubernetesId: spec.kubernetesId,
        namespace: spec.namespace,
        cluster: input.cluster,
      });

      let kubeConfig: KubeConfig | undefined;
      if (input.cluster) {
        kubeConfig = await openAllowedCluster(
          clusters,
          guardrails,
          input.cluster,
          ctx.signal,
        );
      }
      const routeKinds = [
        ...new Set(
          spec.listeners.map(l => L4_ROUTE_KIND_FOR_PROTOCOL[l.protocol]),
        ),
      ];
      const { profile, source } = await resolveControllerProfile({
        requested: input.controllerProfile,
        kubeConfig,
        cluster: input.cluster,
        routeKinds,
        guardrails,
        signal: ctx.signal,
      });
      ctx.logger.info(
        `Rendering for ${profile.title} (profile from ${source})`,
      );

      if (kubeConfig) {
        const services = await readServices(
          kubeConfig,
          spec.namespace,
          spec.routes.flatMap(r => r.backends.map(b => b.service)),
          ctx.signal,
        );
        const clusterIssues = parts.inInputFields(
          validateEndpointSpec(spec, { guardrails, services }),
        );
        if (clusterIssues.length) {
          throw manifestIssuesError(
            `Endpoint ${spec.namespace}/${spec.name} does not fit cluster ${input.cluster}`,
            clusterIssues,
          );
        }
      }

      const rendered = renderEndpointManifests(spec, profile);
      // What the Gateway API objects do not say, in the log of a dry run too.
      const controllerNotes = endpointControllerNotes(spec);
      for (const note of controllerNotes) ctx.logger.info(note);
      const manifests = rendered.map(r => r.manifest);
      // A backstop: rendered manifests must pass the same rules as hand-written ones.
      const manifestIssues = validateManifests(manifests, { profile });
      if (manifestIssues.length) {
        throw manifestIssuesError(
          'Rendered manifests break the controller rules',
          manifestIssues,
        );
      }
      let serverDryRunResult: 'passed' | 'skipped' = 'skipped';
      if (kubeConfig && input.serverDryRun) {
        const rejected = await serverSideDryRun(
          kubeConfig,
          manifests,
          ctx.signal,
        );
        if (rejected.length) {
          throw manifestIssuesError(
            `Cluster ${input.cluster} rejected the manifests (server-side dry run)`,
            rejected,
          );
        }
        serverDryRunResult = 'passed';
      }

      // Cancelled while the cluster was asked: write nothing.
      ctx.signal?.throwIfAborted();
      const outputDir = resolveSafeChildPath(
        ctx.workspacePath,
        input.outputDir,
      );
      await fs.mkdir(outputDir, { recursive: true });
      const files: string[] = [];
      for (const { path: file, manifest } of rendered) {
        await fs.writeFile(
          path.join(outputDir, file),
          manifestToYaml(manifest),
        );
        files.push(path.posix.join(input.outputDir, file));
      }

      ctx.output('controllerProfile', profile.id);
      ctx.output('controllerProfileSource', source);
      ctx.output('routeApiVersion', profile.routeApiVersions[routeKinds[0]]);
      ctx.output('files', files);
      ctx.output('outputDir', input.outputDir);
      ctx.output(
        'gatewayRef',
        [input.cluster, spec.namespace, spec.name].filter(Boolean).join('/'),
      );
      ctx.output('serverDryRun', serverDryRunResult);
      ctx.output('controllerNotes', controllerNotes);
    },
  });
}
