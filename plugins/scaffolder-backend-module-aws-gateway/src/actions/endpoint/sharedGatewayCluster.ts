import { NotAllowedError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  ControllerProfile,
  ControllerProfileId,
  L4RouteKind,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  assertTargetGroupConfigurationsFree,
  CommittedTargetGroupConfigurations,
  FoundTargetGroupConfiguration,
  GatewayGuardrails,
  KubernetesClusters,
  KubernetesManifest,
  readLiveGateway,
  readNamespaceLabels,
  serverSideDryRun,
  serverSideDryRunReplace,
  SharedGateway,
  targetGroupConfigurationCheckNote,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'yaml';
import {
  openAllowedCluster,
  resolveControllerProfile,
} from '../support/clusterAccess';
import { ZodImpl } from '../support/inputDefaults';
import { manifestIssuesError } from '../support/manifestIssues';

/**
 * What the shared-gateway actions (add, change, remove a listener) ask of
 * the shared Gateway's cluster and guardrails, read-only and before anything
 * is written: the namespaces allowed, the controller profile, the live
 * Gateway and the app namespace's labels, and a server-side dry run of the
 * result.
 */

/** Both namespaces the files go to must be allowed for endpoints (the render's guardrail). */
export function assertNamespacesAllowed(
  guardrails: GatewayGuardrails,
  namespace: string,
  serviceNamespace: string,
): void {
  for (const [field, ns] of [
    ['namespace', namespace],
    ['serviceNamespace', serviceNamespace],
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
}

/** The shared Gateway's cluster as a listener edit needs it. */
export interface SharedGatewayCluster {
  kubeConfig: KubeConfig;
  profile: ControllerProfile;
  /** The live Gateway (untrusted); undefined when it does not exist. */
  liveGateway: unknown;
  /** The app namespace's labels; undefined when it does not exist. */
  routeNamespaceLabels?: Record<string, string>;
}

/** Opens the allowed cluster and reads it; `profile` given: used as it is (a removal renders nothing). */
export async function readSharedGatewayCluster(options: {
  clusters: KubernetesClusters;
  guardrails: GatewayGuardrails;
  shared: SharedGateway;
  routeNamespace: string;
  routeKind: L4RouteKind;
  requestedProfile?: ControllerProfileId;
  profile?: ControllerProfile;
  signal?: AbortSignal;
}): Promise<SharedGatewayCluster> {
  const { clusters, guardrails, shared, signal } = options;
  const kubeConfig = await openAllowedCluster(
    clusters,
    guardrails,
    shared.cluster,
    signal,
  );
  const profile =
    options.profile ??
    (
      await resolveControllerProfile({
        requested: options.requestedProfile,
        kubeConfig,
        cluster: shared.cluster,
        routeKinds: [options.routeKind],
        guardrails,
        signal,
      })
    ).profile;
  const [liveGateway, routeNamespaceLabels] = await Promise.all([
    readLiveGateway(kubeConfig, shared.namespace, shared.name, signal),
    readNamespaceLabels(kubeConfig, options.routeNamespace, signal),
  ]);
  return { kubeConfig, profile, liveGateway, routeNamespaceLabels };
}

/** The output saying what the TargetGroupConfiguration check could not see (only then). */
export const targetGroupConfigurationCheckOutput = {
  targetGroupConfigurationCheck: (z: ZodImpl) =>
    z
      .string()
      .optional()
      .describe(
        "Set when the check that the listener's Service has no other TargetGroupConfiguration could not read every committed file: which files and which bound (the check rests on the rest and the live cluster)",
      ),
};

/**
 * The cluster must accept the Gateway as it will be and the route's objects
 * (server-side dry run), and a TargetGroupConfiguration among them must be
 * the only one for its Service — live, committed on the base branch and in
 * the other open review pull requests (`committed`, from what the action
 * already read) — or ours already. What those reads could not see is logged
 * and given as output (`targetGroupConfigurationCheck`), not kept silent.
 */
export async function dryRunSharedGatewayEdit(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'signal'> & {
    output(name: 'targetGroupConfigurationCheck', value: string): void;
  },
  kubeConfig: KubeConfig,
  shared: SharedGateway,
  result: { gatewayYaml: string; manifests: KubernetesManifest[] },
  options: {
    what: string;
    /** The input field naming the Service, for a TargetGroupConfiguration refused (default serviceName). */
    serviceField?: string;
    committed: {
      base?: CommittedTargetGroupConfigurations;
      reviews: FoundTargetGroupConfiguration[];
      /** What the reviews' reads could not see (`targetGroupConfigurationsNote`). */
      reviewsNote?: string;
    };
  },
): Promise<void> {
  const { signal } = ctx;
  const { base, reviews, reviewsNote } = options.committed;
  const unseen = targetGroupConfigurationCheckNote([
    base?.note ??
      (base?.complete === false
        ? `not every file of ${shared.gitops.branch} was read for TargetGroupConfigurations`
        : undefined),
    reviewsNote,
  ]);
  if (
    unseen &&
    result.manifests.some(m => m.kind === 'TargetGroupConfiguration')
  ) {
    ctx.logger.warn(unseen);
    ctx.output('targetGroupConfigurationCheck', unseen);
  }
  await assertTargetGroupConfigurationsFree(kubeConfig, result.manifests, {
    committed: [...(base?.found ?? []), ...reviews],
    ...(options.serviceField ? { field: options.serviceField } : {}),
    signal,
  });
  const gateway = yaml.parse(result.gatewayYaml) as KubernetesManifest;
  // The Gateway as the repository will have it, whole: its GitOps agent drops what the manifest no longer says.
  const resourceVersion = (
    (await readLiveGateway(
      kubeConfig,
      shared.namespace,
      shared.name,
      signal,
    )) as { metadata?: { resourceVersion?: unknown } } | undefined
  )?.metadata?.resourceVersion;
  const rejected = [
    ...(typeof resourceVersion === 'string'
      ? await serverSideDryRunReplace(
          kubeConfig,
          gateway,
          resourceVersion,
          signal,
        )
      : await serverSideDryRun(kubeConfig, [gateway], signal)),
    ...(await serverSideDryRun(kubeConfig, result.manifests, signal)),
  ];
  if (rejected.length) {
    throw manifestIssuesError(
      `Cluster ${shared.cluster} rejected the ${options.what} (server-side dry run)`,
      rejected,
    );
  }
}
