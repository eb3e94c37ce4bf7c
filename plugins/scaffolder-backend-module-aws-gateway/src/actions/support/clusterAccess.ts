import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ControllerProfile,
  CONTROLLER_PROFILES,
  ControllerProfileId,
  L4RouteKind,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  detectControllerProfile,
  GatewayGuardrails,
  KubernetesClusters,
  profileMismatch,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeConfig } from '@kubernetes/client-node';

/** A cluster of the Kubernetes plugin the actions may check manifests against. */
export async function openAllowedCluster(
  clusters: KubernetesClusters,
  guardrails: GatewayGuardrails,
  cluster: string,
  signal?: AbortSignal,
): Promise<KubeConfig> {
  if (!guardrails.allowedClusters.includes(cluster)) {
    throw new NotAllowedError(
      `cluster: "${cluster}" is not allowed; it must be listed in awsGateway.provisioning.allowedClusters`,
    );
  }
  try {
    return await clusters.getKubeConfig(cluster, { signal });
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new InputError(`cluster: ${error.message}`);
    }
    throw error;
  }
}

/** Which profile the manifests target, and who decided it. */
export interface ResolvedProfile {
  profile: ControllerProfile;
  source: 'cluster' | 'input' | 'configuration';
}

/**
 * The input's profile when given (checked against the cluster when there is
 * one), else the cluster's, else configuration's default.
 */
export async function resolveControllerProfile(options: {
  requested?: ControllerProfileId;
  kubeConfig?: KubeConfig;
  cluster?: string;
  routeKinds: L4RouteKind[];
  guardrails: GatewayGuardrails;
  /** The step's signal: a cancelled step stops asking the cluster. */
  signal?: AbortSignal;
}): Promise<ResolvedProfile> {
  const { requested, kubeConfig, cluster, routeKinds, guardrails, signal } =
    options;
  if (!kubeConfig) {
    return requested
      ? { profile: CONTROLLER_PROFILES[requested], source: 'input' }
      : {
          profile: CONTROLLER_PROFILES[guardrails.defaultControllerProfile],
          source: 'configuration',
        };
  }
  const detected = await detectControllerProfile(kubeConfig, signal);
  if (requested) {
    const mismatch = profileMismatch(
      CONTROLLER_PROFILES[requested],
      detected,
      routeKinds,
    );
    if (mismatch) {
      throw new InputError(
        `controllerProfile: "${requested}" does not match cluster ${cluster}: ${mismatch} [controller-profile-mismatch]`,
      );
    }
    return { profile: CONTROLLER_PROFILES[requested], source: 'input' };
  }
  if (!detected.profile) {
    throw new InputError(
      `cluster: ${cluster}: ${detected.problem} [controller-profile-undetected]`,
    );
  }
  return { profile: detected.profile, source: 'cluster' };
}
