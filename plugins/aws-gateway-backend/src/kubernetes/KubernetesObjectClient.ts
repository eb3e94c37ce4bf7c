import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { KubernetesClusterRegistry } from '@gateway-portal/plugin-aws-gateway-node';
import { KubernetesApiError } from '../errors';
import { KubeObject } from './types';

/** One served version of a resource. */
export interface ResourceVersion {
  /** API group; '' is the core group. */
  group: string;
  version: string;
  plural: string;
}

export interface ListOptions {
  /** All namespaces when absent (or for cluster-scoped resources). */
  namespace?: string;
  labelSelector?: string;
}

/** Read-only access to one cluster's API server. */
export interface KubernetesConnection {
  /** Throws KubernetesApiError; 404 means the resource (version) is not served. */
  list(resource: ResourceVersion, options?: ListOptions): Promise<KubeObject[]>;
  /** Undefined when the object does not exist. */
  get(
    resource: ResourceVersion,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined>;
}

/**
 * Opens connections to configured clusters. One connection serves one request:
 * it holds a fresh credential and is then dropped.
 */
export interface KubernetesObjectClient {
  connect(cluster: string): Promise<KubernetesConnection>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function toKubernetesApiError(error: any, what: string): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  // ApiException of @kubernetes/client-node: numeric code + Status body. Its
  // own message carries response headers, so it is never passed on.
  if (typeof error?.code === 'number') {
    let body = error.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // keep as text
      }
    }
    const reason =
      (body && typeof body === 'object' && body.message) ||
      (typeof body === 'string' ? body : `HTTP ${error.code}`);
    return new KubernetesApiError(`${what}: ${reason}`, error.code);
  }
  const code: string | undefined =
    error?.code ?? error?.cause?.code ?? error?.errno;
  return new KubernetesApiError(
    `${what}: ${code ? `${code} ` : ''}${error?.message ?? String(error)}`,
    undefined,
    typeof code === 'string' ? code : 'ERROR',
  );
}

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KubernetesApiError(
            `${what}: timed out after ${ms} ms`,
            undefined,
            'ETIMEDOUT',
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(
  resource: ResourceVersion,
  options: ListOptions = {},
): string {
  const gv = resource.group
    ? `${resource.group}/${resource.version}`
    : resource.version;
  const ns = options.namespace ? ` in namespace ${options.namespace}` : '';
  return `list ${resource.plural}.${gv}${ns}`;
}

/**
 * Talks to the API servers of the clusters the Kubernetes plugin is
 * configured with, through @kubernetes/client-node.
 */
export class ClientNodeKubernetesObjectClient
  implements KubernetesObjectClient
{
  constructor(
    private readonly registry: KubernetesClusterRegistry,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  async connect(cluster: string): Promise<KubernetesConnection> {
    const kc = await this.registry.getKubeConfig(cluster);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    const run = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
      try {
        return await withTimeout(call(), timeoutMs, what);
      } catch (e) {
        throw toKubernetesApiError(e, what);
      }
    };

    return {
      list: (resource, options = {}) =>
        run(describe(resource, options), async () => {
          const { group, version, plural } = resource;
          const { namespace, labelSelector } = options;
          if (!group) {
            if (plural !== 'services') {
              throw new Error(`core resource ${plural} is not supported`);
            }
            const list = namespace
              ? await core.listNamespacedService({ namespace, labelSelector })
              : await core.listServiceForAllNamespaces({ labelSelector });
            return list.items as unknown as KubeObject[];
          }
          const list = namespace
            ? await custom.listNamespacedCustomObject({
                group,
                version,
                namespace,
                plural,
                labelSelector,
              })
            : await custom.listClusterCustomObject({
                group,
                version,
                plural,
                labelSelector,
              });
          return (list?.items ?? []) as KubeObject[];
        }),
      get: async (resource, namespace, name) => {
        const what = `get ${resource.plural}.${resource.group}/${
          resource.version
        } ${namespace ? `${namespace}/` : ''}${name}`;
        try {
          return await run(what, async () => {
            const { group, version, plural } = resource;
            if (!group) {
              throw new Error(`core resource ${plural} is not supported`);
            }
            return (
              namespace
                ? await custom.getNamespacedCustomObject({
                    group,
                    version,
                    namespace,
                    plural,
                    name,
                  })
                : await custom.getClusterCustomObject({
                    group,
                    version,
                    plural,
                    name,
                  })
            ) as KubeObject;
          });
        } catch (e) {
          if ((e as KubernetesApiError).statusCode === 404) return undefined;
          throw e;
        }
      },
    };
  }
}
