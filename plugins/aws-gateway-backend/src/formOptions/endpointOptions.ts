import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  FormEndpointsResponse,
  L4_ROUTE_KINDS,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  abortableCall,
  GATEWAYS,
  isKubernetesNotFound,
  KUBERNETES_CALL_TIMEOUT_MS,
  L4_ROUTES,
  readSharedGateways,
  ResourceSpec,
  SharedGateway,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { describeEndpoints } from './endpointObjects';
import { FormOptionsService } from './FormOptionsService';

/** Most objects of one kind read from a namespace for the picker (one page of the list). */
export const ENDPOINT_LIST_LIMIT = 200;

/** One version of a namespaced resource. */
export interface ResourceVersion {
  group: string;
  version: string;
  plural: string;
}

/** One page of a label-selected list: its items (untrusted) and whether more were left. */
export interface ManagedObjectsPage {
  items: unknown[];
  more: boolean;
}

/** Lists the objects the portal wrote (its managed-by label) in one namespace. */
export interface ManagedObjectsReader {
  listManaged(
    kubeConfig: KubeConfig,
    resource: ResourceVersion,
    namespace: string,
    options: { limit: number; signal: AbortSignal },
  ): Promise<ManagedObjectsPage>;
}

/** {@link ManagedObjectsReader} over @kubernetes/client-node, with the form's deadline; a resource not served lists nothing. */
export class ClientNodeManagedObjectsReader implements ManagedObjectsReader {
  constructor(private readonly timeoutMs = KUBERNETES_CALL_TIMEOUT_MS) {}

  async listManaged(
    kubeConfig: KubeConfig,
    resource: ResourceVersion,
    namespace: string,
    options: { limit: number; signal: AbortSignal },
  ): Promise<ManagedObjectsPage> {
    try {
      const list: unknown = await kubeConfig
        .makeApiClient(CustomObjectsApi)
        .listNamespacedCustomObject(
          {
            ...resource,
            namespace,
            // Selected by the API server: only the portal's objects come back.
            labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
            limit: options.limit,
          },
          abortableCall(options.signal, this.timeoutMs),
        );
      const body = (list ?? {}) as {
        items?: unknown;
        metadata?: { continue?: unknown };
      };
      const items = Array.isArray(body.items) ? body.items : [];
      return {
        items: items.slice(0, options.limit),
        more:
          items.length > options.limit ||
          (typeof body.metadata?.continue === 'string' &&
            body.metadata.continue !== ''),
      };
    } catch (error) {
      // The CRD went away since discovery: nothing of it to list.
      if (isKubernetesNotFound(error)) return { items: [], more: false };
      throw error;
    }
  }
}

const EMPTY_PAGE: ManagedObjectsPage = { items: [], more: false };

/** The newest version of `spec` the cluster serves (`served`: its apiVersions), if any. */
function servedVersion(
  spec: ResourceSpec,
  served: string[],
): ResourceVersion | undefined {
  const version = spec.versions.find(v =>
    served.includes(`${spec.group}/${v}`),
  );
  return version
    ? { group: spec.group, version, plural: spec.plural }
    : undefined;
}

/**
 * The change and remove forms' endpoint picker: a component's endpoints
 * live in one namespace — the Gateways the portal wrote for it, and its
 * routes to a configured shared gateway — read with the user's Kubernetes
 * credentials under the form's rules (allowed cluster, a namespace the user
 * may use, the form's deadline and error wording). The route kinds are read
 * in the version the cluster serves (API discovery, as the cluster picker
 * detects it). Read-only.
 */
export class EndpointFormOptions {
  static fromConfig(
    config: Config,
    deps: { service: FormOptionsService },
  ): EndpointFormOptions {
    return new EndpointFormOptions({
      ...deps,
      sharedGateways: readSharedGateways(config),
      reader: new ClientNodeManagedObjectsReader(),
    });
  }

  constructor(
    private readonly options: {
      service: FormOptionsService;
      sharedGateways: SharedGateway[];
      reader: ManagedObjectsReader;
    },
  ) {}

  async list(
    request: {
      cluster: string;
      namespace: string;
      /** Normalised (see normaliseEntityRef). */
      entityRef: string;
    },
    credentials: BackstageCredentials,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<FormEndpointsResponse> {
    const { cluster, namespace } = request;
    const { service, reader } = this.options;
    const limit = ENDPOINT_LIST_LIMIT;
    // Refused before anything is read when the user may not use the namespace.
    const reads = await service.openNamespace(
      cluster,
      namespace,
      credentials,
      signal,
      userCredentials,
    );
    const detected = await service.detectOnCluster(
      cluster,
      signal,
      userCredentials,
    );
    const list = (spec: ResourceSpec, resource: ResourceVersion) =>
      reads.read(`list ${spec.kind}s in namespace ${namespace}`, kubeConfig =>
        reader.listManaged(kubeConfig, resource, namespace, { limit, signal }),
      );
    const gatewayVersion = {
      group: GATEWAYS.group,
      version: GATEWAYS.versions[0],
      plural: GATEWAYS.plural,
    };
    const routeKinds = L4_ROUTE_KINDS.flatMap(kind => {
      const resource = servedVersion(
        L4_ROUTES[kind],
        detected.routeApiVersions[kind],
      );
      return resource ? [{ kind, resource }] : [];
    });
    const kinds = [
      { name: 'Gateways', spec: GATEWAYS, resource: gatewayVersion },
      ...routeKinds.map(({ kind, resource }) => ({
        name: `${kind}s`,
        spec: L4_ROUTES[kind],
        resource,
      })),
    ];
    // One kind the user may not list (or whose list fails) leaves the others
    // shown and is named; only when nothing could be read does the answer fail.
    const pages = await Promise.allSettled(
      kinds.map(({ spec, resource }) => list(spec, resource)),
    );
    const read = (i: number) => {
      const page = pages[i];
      return page.status === 'fulfilled' ? page.value : EMPTY_PAGE;
    };
    const failed = pages.flatMap((page, i) =>
      page.status === 'rejected'
        ? [{ kind: kinds[i].name, error: page.reason as Error }]
        : [],
    );
    if (failed.length === kinds.length) throw failed[0].error;
    const endpoints = describeEndpoints(
      {
        gateways: read(0).items,
        routes: routeKinds.map(({ kind }, i) => ({
          kind,
          items: read(i + 1).items,
        })),
      },
      { ...request, sharedGateways: this.options.sharedGateways },
    );
    const cut = kinds.flatMap(({ name }, i) => (read(i).more ? [name] : []));
    const problems = [
      ...(cut.length
        ? [
            `Only the first ${limit} ${cut.join(
              ', ',
            )} of the portal in namespace ${namespace} were read; if yours is not listed, type its name`,
          ]
        : []),
      // The form's own read errors: worded for the developer, no server text.
      ...failed.map(
        ({ kind, error }) =>
          `${kind} could not be read, so no endpoint of that kind is listed: ${error.message}`,
      ),
    ];
    return {
      endpoints,
      ...(problems.length ? { problem: problems.join('. ') } : {}),
    };
  }
}
