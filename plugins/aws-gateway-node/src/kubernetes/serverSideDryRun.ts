import { CoreV1Api, KubeConfig, PatchStrategy } from '@kubernetes/client-node';
import {
  ManifestIssue,
  MANAGED_BY_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  KubernetesManifest,
  manifestId,
  ObservedService,
} from '../manifests/types';
import {
  abortableCall,
  AbortableObjectApi,
  KUBERNETES_CALL_TIMEOUT_MS,
  kubernetesDeadlineError,
} from './abortSignal';
import {
  apiStatus,
  apiStatusCode,
  describeApiError,
  kubernetesPluginError,
} from './apiErrors';

/**
 * Status codes that mean "the API server refused this object", as opposed to
 * "we could not ask" (auth, network), which is thrown instead.
 */
const REJECTION_CODES = [400, 404, 409, 422];

/**
 * Sends every manifest to the API server as a server-side apply with
 * `dryRun=All`: the CRD schemas, CEL rules and admission run, nothing is
 * persisted. Works whether or not the objects exist yet. Rejections come back
 * as issues naming the object and field; failures to reach or authenticate to
 * the cluster are thrown.
 *
 * @public
 */
export async function serverSideDryRun(
  kubeConfig: KubeConfig,
  manifests: KubernetesManifest[],
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<ManifestIssue[]> {
  // The deadline covers the client's own discovery requests as well as the patch.
  const client = AbortableObjectApi.forKubeConfig(kubeConfig, {
    signal,
    timeoutMs,
  });
  const issues: ManifestIssue[] = [];
  for (const manifest of manifests) {
    issues.push(
      ...(await dryRunCall(manifest, { signal, timeoutMs }, () =>
        client.patch(
          manifest,
          undefined,
          'All',
          MANAGED_BY_VALUE,
          true,
          PatchStrategy.ServerSideApply,
        ),
      )),
    );
  }
  return issues;
}

/**
 * Sends an object that exists as a whole replacement (an update with
 * `dryRun=All`) at `resourceVersion`: the object is checked exactly as
 * written. An apply merges with the fields other field managers own (a
 * GitOps agent's), so a field the manifest no longer has (a TLS listener's
 * host name after it became TCP) would still be there; the agent that owns
 * them drops them. Rejections (a resource version changed since: 409) come
 * back as issues, like serverSideDryRun's.
 *
 * @public
 */
export async function serverSideDryRunReplace(
  kubeConfig: KubeConfig,
  manifest: KubernetesManifest,
  resourceVersion: string,
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<ManifestIssue[]> {
  const client = AbortableObjectApi.forKubeConfig(kubeConfig, {
    signal,
    timeoutMs,
  });
  return dryRunCall(manifest, { signal, timeoutMs }, () =>
    client.replace(
      { ...manifest, metadata: { ...manifest.metadata, resourceVersion } },
      undefined,
      'All',
      MANAGED_BY_VALUE,
    ),
  );
}

/** One dry-run request: its rejection as issues; a deadline, the proxy's refusal or no answer thrown. */
async function dryRunCall(
  manifest: KubernetesManifest,
  deadline: { signal?: AbortSignal; timeoutMs: number },
  call: () => Promise<unknown>,
): Promise<ManifestIssue[]> {
  deadline.signal?.throwIfAborted();
  try {
    await call();
    return [];
  } catch (error) {
    const ended = kubernetesDeadlineError(
      error,
      deadline.signal,
      deadline.timeoutMs,
      `Server-side dry run of ${manifestId(manifest)}`,
    );
    if (ended) throw ended;
    return dryRunIssues(manifest, error);
  }
}

function dryRunIssues(
  manifest: KubernetesManifest,
  error: unknown,
): ManifestIssue[] {
  const id = manifestId(manifest);
  // The Kubernetes plugin's own refusal (its proxy), not the API server's.
  const refused = kubernetesPluginError(error, `Server-side dry run of ${id}`);
  if (refused) throw refused;
  const code = apiStatusCode(error);
  const message = error instanceof Error ? error.message : String(error);
  // Discovery: the group/version is not served (404 on its resource list), or
  // it is served without this kind (client-side "Unrecognized").
  if (/resource metadata|Unrecognized API version/i.test(message)) {
    return [
      {
        field: `${id}: apiVersion`,
        rule: 'api-version-not-served',
        message: `${id}: the cluster does not serve ${manifest.kind} in ${manifest.apiVersion}`,
      },
    ];
  }
  if (code === undefined || !REJECTION_CODES.includes(code)) throw error;
  const causes = apiStatus(error)?.details?.causes ?? [];
  if (!causes.length) {
    return [
      {
        field: id,
        rule: 'server-dry-run',
        message: `${id}: the cluster rejected it: ${describeApiError(error)}`,
      },
    ];
  }
  return causes.map(cause => ({
    field: cause.field ? `${id}: ${cause.field}` : id,
    rule: 'server-dry-run',
    message: `${id}: ${cause.field ? `${cause.field}: ` : ''}${
      cause.message ?? cause.reason ?? 'rejected'
    }`,
  }));
}

/**
 * Reads the backend Services of an endpoint from the cluster (type and
 * ports); a Service that does not exist maps to undefined.
 *
 * @public
 */
export async function readServices(
  kubeConfig: KubeConfig,
  namespace: string,
  names: string[],
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<Map<string, ObservedService | undefined>> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const services = new Map<string, ObservedService | undefined>();
  for (const name of new Set(names)) {
    try {
      const service = await core.readNamespacedService(
        { name, namespace },
        abortableCall(signal, timeoutMs),
      );
      services.set(name, {
        namespace,
        name,
        type: service.spec?.type ?? 'ClusterIP',
        ports: (service.spec?.ports ?? []).map(p => p.port),
      });
    } catch (error) {
      const refused = kubernetesPluginError(
        error,
        `Reading Service ${namespace}/${name}`,
      );
      if (refused) throw refused;
      if (apiStatusCode(error) !== 404) {
        throw (
          kubernetesDeadlineError(
            error,
            signal,
            timeoutMs,
            `Reading Service ${namespace}/${name}`,
          ) ?? error
        );
      }
      services.set(name, undefined);
    }
  }
  return services;
}
