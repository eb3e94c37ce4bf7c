import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  abortableCall,
  apiStatusCode,
  detectControllerProfile,
  DetectedControllerProfile,
  kubernetesDeadlineError,
  kubernetesPluginError,
  KUBERNETES_CALL_TIMEOUT_MS,
  networkErrorCode,
} from '@gateway-portal/plugin-aws-gateway-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { FormService } from '@gateway-portal/plugin-aws-gateway-common';

/**
 * The form's reads of one cluster: namespaces, Services and API discovery.
 * Every call has the provisioning actions' deadline and ends when the HTTP
 * request does; failures become a 503 that names the cluster and what did not
 * work, while the API server's own text (addresses, identities) goes to the log.
 */
export interface FormClusterReader {
  listNamespaces(
    kubeConfig: KubeConfig,
    signal: AbortSignal,
  ): Promise<string[]>;
  listServices(
    kubeConfig: KubeConfig,
    namespace: string,
    signal: AbortSignal,
  ): Promise<FormService[]>;
  detectProfile(
    kubeConfig: KubeConfig,
    signal: AbortSignal,
  ): Promise<DetectedControllerProfile>;
}

/** A failed cluster read as the developer should see it; details to the log. */
export function clusterReadError(
  error: unknown,
  options: {
    cluster: string;
    what: string;
    signal: AbortSignal;
    logger: LoggerService;
    timeoutMs?: number;
    /** The call carried the user's own token: a refusal is of that token. */
    userToken?: boolean;
  },
): Error {
  const { cluster, what, signal, logger } = options;
  const timeoutMs = options.timeoutMs ?? KUBERNETES_CALL_TIMEOUT_MS;
  // The Kubernetes plugin's own answers (permission, unknown cluster) keep
  // their kind: 403 and 404 for the form, worded without addresses.
  const refused =
    error instanceof NotAllowedError || error instanceof NotFoundError
      ? error
      : kubernetesPluginError(error, what, cluster);
  if (refused) {
    logger.warn(`form options: ${refused.message}`);
    return refused;
  }
  if (error instanceof ServiceUnavailableError) {
    // Already worded without addresses (the node library's deadline errors).
    return new ServiceUnavailableError(`Cluster ${cluster}: ${error.message}`);
  }
  const deadline = kubernetesDeadlineError(error, signal, timeoutMs, what);
  if (deadline) {
    return signal.aborted
      ? deadline
      : new ServiceUnavailableError(
          `Cluster ${cluster} did not answer within ${
            timeoutMs / 1000
          } s (${what}); try again in a moment`,
        );
  }
  const status = apiStatusCode(error);
  logger.warn(
    `form options: ${what} on cluster ${cluster} failed: ${
      status !== undefined
        ? `HTTP ${status}`
        : networkErrorCode(error) ?? (error as Error)?.name ?? 'error'
    }`,
  );
  // 401: the token itself was not accepted (expired, signed out), so signing
  // in again helps; 403: it was, and this identity may not do this.
  if (status === 401 && options.userToken) {
    return new NotAllowedError(
      `Cluster ${cluster} did not accept your own Kubernetes credentials to ${what} (HTTP 401); sign in to its auth provider again`,
    );
  }
  if (status === 403 && options.userToken) {
    return new NotAllowedError(
      `Cluster ${cluster} refused your own Kubernetes credentials to ${what} (HTTP 403): your identity may not do this there; ask your platform team for access`,
    );
  }
  if (status === 401 || status === 403) {
    return new ServiceUnavailableError(
      `The portal may not ${what} on cluster ${cluster}; ask your platform team to grant it read access`,
    );
  }
  const code = networkErrorCode(error);
  return new ServiceUnavailableError(
    `Could not ${what} on cluster ${cluster} (${
      status !== undefined ? `HTTP ${status}` : code ?? 'no answer'
    }); try again in a moment`,
  );
}

/** {@link FormClusterReader} over @kubernetes/client-node. */
export class ClientNodeFormClusterReader implements FormClusterReader {
  constructor(private readonly timeoutMs = KUBERNETES_CALL_TIMEOUT_MS) {}

  async listNamespaces(kubeConfig: KubeConfig, signal: AbortSignal) {
    const list = await kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespace({}, abortableCall(signal, this.timeoutMs));
    return list.items
      .filter(ns => !ns.metadata?.deletionTimestamp)
      .map(ns => ns.metadata?.name)
      .filter((name): name is string => typeof name === 'string');
  }

  async listServices(
    kubeConfig: KubeConfig,
    namespace: string,
    signal: AbortSignal,
  ): Promise<FormService[]> {
    const list = await kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespacedService(
        { namespace },
        abortableCall(signal, this.timeoutMs),
      );
    return list.items.flatMap(svc => {
      const name = svc.metadata?.name;
      if (typeof name !== 'string') return [];
      return [
        {
          name,
          type: svc.spec?.type,
          ports: (svc.spec?.ports ?? [])
            .filter(p => Number.isInteger(p.port))
            .map(p => ({
              ...(p.name ? { name: p.name } : {}),
              port: p.port,
              protocol: p.protocol ?? 'TCP',
            })),
        },
      ];
    });
  }

  detectProfile(kubeConfig: KubeConfig, signal: AbortSignal) {
    return detectControllerProfile(kubeConfig, signal, this.timeoutMs);
  }
}
