import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import {
  abortableCall,
  isKubernetesNotFound,
  KubernetesClusters,
  toKubernetesApiError,
  untilAborted,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AnswerDue } from '../deadline';
import { ConcurrencyLimits } from '../concurrencyLimit';
import { ClusterAgents } from './clusterAgents';
import { KubeObject } from './types';

/** One served version of a resource.
 *
 * @public
 */
export interface ResourceVersion {
  /** API group; '' is the core group. */
  group: string;
  version: string;
  plural: string;
}

/** @public */
export interface ListOptions {
  /** All namespaces when absent (or for cluster-scoped resources). */
  namespace?: string;
  labelSelector?: string;
  /** Built from parsed values only (see kubernetes/events/eventSelectors.ts). */
  fieldSelector?: string;
  /** At most this many items; the server answers the rest as a continue token, which is not followed. */
  limit?: number;
}

/** Read-only access to one cluster's API server.
 *
 * @public
 */
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
 * it holds a fresh credential and is then dropped. Every call of a connection
 * ends when `signal` fires (the request's deadline) or its own timeout passes.
 *
 * @public
 */
export interface KubernetesObjectClient {
  connect(
    cluster: string,
    options?: KubernetesConnectOptions,
  ): Promise<KubernetesConnection>;
}

/** @public */
export interface KubernetesConnectOptions {
  signal?: AbortSignal;
  /** The user's tokens, for a cluster whose auth provider takes the user's own (the connection is that user's). */
  userCredentials?: UserKubernetesCredentials;
  /** When the answer read through the connection is due: waiting for the watch cache ends well before it. */
  answerDue?: AnswerDue;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONCURRENT_CALLS = 8;

/** `signal` (when given) or the timeout, whichever fires first. */
function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
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
 * Talks to the API servers of the Kubernetes plugin's clusters (through its
 * proxy endpoint), with @kubernetes/client-node. Each call is aborted, and
 * its socket closed, at its timeout or when the request's signal fires; at
 * most `maxConcurrentCalls` calls per cluster are in flight, the others wait.
 */
export class ClientNodeKubernetesObjectClient
  implements KubernetesObjectClient
{
  private readonly limits: ConcurrencyLimits;

  constructor(
    private readonly clusters: KubernetesClusters,
    private readonly options: {
      timeoutMs?: number;
      maxConcurrentCalls?: number;
      /** Keep-alive connections shared by the calls of a cluster; one agent per request without. */
      agents?: ClusterAgents;
    } = {},
  ) {
    this.limits = new ConcurrencyLimits(
      options.maxConcurrentCalls ?? DEFAULT_MAX_CONCURRENT_CALLS,
    );
  }

  async connect(
    cluster: string,
    connectOptions: KubernetesConnectOptions = {},
  ): Promise<KubernetesConnection> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Opening a cluster may list the Kubernetes plugin's clusters: bounded like a call.
    const openSignal = withTimeout(connectOptions.signal, timeoutMs);
    const given = await untilAborted(
      this.clusters.getKubeConfig(cluster, {
        signal: openSignal,
        userCredentials: connectOptions.userCredentials,
      }),
      openSignal,
    ).catch(e => {
      throw toKubernetesApiError(e, `open cluster ${cluster}`, timeoutMs);
    });
    const kc = this.options.agents?.forCluster(cluster, given) ?? given;
    const custom = kc.makeApiClient(CustomObjectsApi);
    const core = kc.makeApiClient(CoreV1Api);
    const limit = this.limits.for(cluster);

    const run = async <T>(
      what: string,
      call: (options: ReturnType<typeof abortableCall>) => Promise<T>,
    ): Promise<T> => {
      const signal = withTimeout(connectOptions.signal, timeoutMs);
      try {
        return await limit.run(() => call(abortableCall(signal)), signal);
      } catch (e) {
        throw toKubernetesApiError(e, what, timeoutMs);
      }
    };

    return {
      list: (resource, options = {}) =>
        run(describe(resource, options), async callOptions => {
          const { group, version, plural } = resource;
          const { namespace, labelSelector, fieldSelector } = options;
          const maxItems = options.limit;
          if (!group && plural === 'events' && namespace) {
            const list = await core.listNamespacedEvent(
              { namespace, labelSelector, fieldSelector, limit: maxItems },
              callOptions,
            );
            return list.items as unknown as KubeObject[];
          }
          if (!group) {
            if (plural !== 'services') {
              throw new Error(`core resource ${plural} is not supported`);
            }
            const list = namespace
              ? await core.listNamespacedService(
                  { namespace, labelSelector },
                  callOptions,
                )
              : await core.listServiceForAllNamespaces(
                  { labelSelector },
                  callOptions,
                );
            return list.items as unknown as KubeObject[];
          }
          const list = namespace
            ? await custom.listNamespacedCustomObject(
                {
                  group,
                  version,
                  namespace,
                  plural,
                  labelSelector,
                  fieldSelector,
                  limit: maxItems,
                },
                callOptions,
              )
            : await custom.listClusterCustomObject(
                { group, version, plural, labelSelector },
                callOptions,
              );
          return (list?.items ?? []) as KubeObject[];
        }),
      get: async (resource, namespace, name) => {
        const what = `get ${resource.plural}.${resource.group}/${
          resource.version
        } ${namespace ? `${namespace}/` : ''}${name}`;
        try {
          return await run(what, async callOptions => {
            const { group, version, plural } = resource;
            if (!group) {
              throw new Error(`core resource ${plural} is not supported`);
            }
            return (
              namespace
                ? await custom.getNamespacedCustomObject(
                    { group, version, namespace, plural, name },
                    callOptions,
                  )
                : await custom.getClusterCustomObject(
                    { group, version, plural, name },
                    callOptions,
                  )
            ) as KubeObject;
          });
        } catch (e) {
          if (isKubernetesNotFound(e)) return undefined;
          throw e;
        }
      },
    };
  }
}
