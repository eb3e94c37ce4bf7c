import {
  ControllerProfile,
  ENTITY_REF_ANNOTATION,
  EndpointSpec,
  GATEWAY_API_GROUP_NAME,
  GATEWAY_API_VERSION,
  KUBERNETES_ID_LABEL,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  LBC_API_GROUP_NAME,
  MANAGED_BY_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import { stringify } from 'yaml';
import { KubernetesManifest, RenderedManifest } from './types';

/** Labels and annotations every rendered manifest carries. @public */
export function endpointMetadata(
  spec: Pick<EndpointSpec, 'namespace' | 'entityRef' | 'kubernetesId'>,
  name: string,
): KubernetesManifest['metadata'] {
  const labels: Record<string, string> = {
    'app.kubernetes.io/managed-by': MANAGED_BY_VALUE,
  };
  if (spec.kubernetesId) labels[KUBERNETES_ID_LABEL] = spec.kubernetesId;
  const metadata: KubernetesManifest['metadata'] = {
    name,
    namespace: spec.namespace,
    labels,
  };
  if (spec.entityRef) {
    metadata.annotations = { [ENTITY_REF_ANNOTATION]: spec.entityRef };
  }
  return metadata;
}

function fileName(manifest: KubernetesManifest): string {
  return `${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`;
}

function renderGateway(spec: EndpointSpec): KubernetesManifest {
  return {
    apiVersion: GATEWAY_API_VERSION,
    kind: 'Gateway',
    metadata: endpointMetadata(spec, spec.name),
    spec: {
      gatewayClassName: spec.gatewayClassName,
      // The scheme, source ranges and tags live in the LoadBalancerConfiguration.
      infrastructure: {
        parametersRef: {
          group: LBC_API_GROUP_NAME,
          kind: 'LoadBalancerConfiguration',
          name: spec.name,
        },
      },
      listeners: spec.listeners.map(listener => ({
        name: listener.name,
        protocol: listener.protocol,
        port: listener.port,
        // Gateway API forbids hostname on TCP/UDP listeners.
        ...(listener.protocol === 'TLS' && listener.hostname
          ? { hostname: listener.hostname }
          : {}),
        // An NLB cannot terminate with Gateway certificateRefs; the TLS bytes are passed through untouched.
        ...(listener.protocol === 'TLS'
          ? { tls: { mode: 'Passthrough' } }
          : {}),
        allowedRoutes: {
          namespaces: { from: 'Same' },
          kinds: [
            {
              group: GATEWAY_API_GROUP_NAME,
              kind: L4_ROUTE_KIND_FOR_PROTOCOL[listener.protocol],
            },
          ],
        },
      })),
    },
  };
}

function renderRoutes(
  spec: EndpointSpec,
  profile: ControllerProfile,
): KubernetesManifest[] {
  return spec.routes.map(route => {
    const listener = spec.listeners.find(l => l.name === route.listener);
    if (!listener) {
      // validateEndpointSpec reports this with the field name first.
      throw new TypeError(
        `route ${route.name} names listener ${route.listener}, which does not exist`,
      );
    }
    const kind = L4_ROUTE_KIND_FOR_PROTOCOL[listener.protocol];
    return {
      apiVersion: profile.routeApiVersions[kind],
      kind,
      metadata: endpointMetadata(spec, route.name),
      spec: {
        parentRefs: [
          {
            group: GATEWAY_API_GROUP_NAME,
            kind: 'Gateway',
            name: spec.name,
            sectionName: listener.name,
          },
        ],
        ...(kind === 'TLSRoute' && listener.hostname
          ? { hostnames: [listener.hostname] }
          : {}),
        rules: [
          {
            backendRefs: route.backends.map(backend => ({
              group: '',
              kind: 'Service',
              name: backend.service,
              port: backend.port,
              ...(backend.weight !== undefined
                ? { weight: backend.weight }
                : {}),
            })),
          },
        ],
      },
    };
  });
}

function renderLoadBalancerConfiguration(
  spec: EndpointSpec,
  profile: ControllerProfile,
): KubernetesManifest {
  const lbSpec: Record<string, unknown> = { scheme: spec.scheme };
  if (spec.loadBalancerName) lbSpec.loadBalancerName = spec.loadBalancerName;
  if (spec.sourceCidrs.length) lbSpec.sourceRanges = [...spec.sourceCidrs];
  if (spec.tags && Object.keys(spec.tags).length)
    lbSpec.tags = { ...spec.tags };
  return {
    apiVersion: profile.lbcApiVersion,
    kind: 'LoadBalancerConfiguration',
    metadata: endpointMetadata(spec, spec.name),
    spec: lbSpec,
  };
}

function renderHealthCheck(spec: EndpointSpec) {
  const hc = spec.healthCheck;
  if (!hc) return undefined;
  const config: Record<string, unknown> = {};
  if (hc.protocol !== undefined) config.healthCheckProtocol = hc.protocol;
  if (hc.port !== undefined) config.healthCheckPort = hc.port;
  if (hc.path !== undefined) config.healthCheckPath = hc.path;
  if (hc.intervalSeconds !== undefined)
    config.healthCheckInterval = hc.intervalSeconds;
  if (hc.timeoutSeconds !== undefined)
    config.healthCheckTimeout = hc.timeoutSeconds;
  if (hc.healthyThreshold !== undefined)
    config.healthyThresholdCount = hc.healthyThreshold;
  if (hc.unhealthyThreshold !== undefined) {
    config.unhealthyThresholdCount = hc.unhealthyThreshold;
  }
  if (hc.matcher !== undefined) config.matcher = { httpCode: hc.matcher };
  return Object.keys(config).length ? config : undefined;
}

function renderTargetGroupConfigurations(
  spec: EndpointSpec,
  profile: ControllerProfile,
): KubernetesManifest[] {
  const services = [
    ...new Set(spec.routes.flatMap(r => r.backends.map(b => b.service))),
  ];
  const behindPassthrough = new Set(
    spec.routes
      .filter(
        r =>
          spec.listeners.find(l => l.name === r.listener)?.protocol === 'TLS',
      )
      .flatMap(r => r.backends.map(b => b.service)),
  );
  const healthCheckConfig = renderHealthCheck(spec);
  return services.map(service =>
    // One per Service: the controller applies it to every target group of that Service.
    renderTargetGroupConfiguration(profile, endpointMetadata(spec, service), {
      service,
      targetType: spec.targetType,
      behindPassthrough: behindPassthrough.has(service),
      ...(healthCheckConfig ? { healthCheckConfig } : {}),
      ...(spec.tags && Object.keys(spec.tags).length
        ? { tags: { ...spec.tags } }
        : {}),
    }),
  );
}

/**
 * The TargetGroupConfiguration of one Service: its target type and, behind a
 * TLS Passthrough listener, protocol TCP. The controller applies the first
 * one it finds for a Service (in the Service's namespace) to all of its
 * target groups.
 */
export function renderTargetGroupConfiguration(
  profile: ControllerProfile,
  metadata: KubernetesManifest['metadata'],
  props: {
    service: string;
    targetType: EndpointSpec['targetType'];
    behindPassthrough: boolean;
    healthCheckConfig?: Record<string, unknown>;
    tags?: Record<string, string>;
  },
): KubernetesManifest {
  return {
    apiVersion: profile.lbcApiVersion,
    kind: 'TargetGroupConfiguration',
    metadata,
    spec: {
      targetReference: { group: '', kind: 'Service', name: props.service },
      defaultConfiguration: {
        targetType: props.targetType,
        // The NLB serves a passthrough listener as TCP; the controller's default TLS
        // target group behind it is refused by AWS (IncompatibleProtocols).
        ...(props.behindPassthrough ? { protocol: 'TCP' } : {}),
        ...(props.healthCheckConfig
          ? { healthCheckConfig: props.healthCheckConfig }
          : {}),
        ...(props.tags ? { tags: props.tags } : {}),
      },
    },
  };
}

/**
 * Renders the manifests of one endpoint for a controller profile: the
 * LoadBalancerConfiguration, one TargetGroupConfiguration per backend
 * Service, the Gateway and one route per listener. Pure: validate the spec
 * first with `validateEndpointSpec`.
 *
 * @public
 */
export function renderEndpointManifests(
  spec: EndpointSpec,
  profile: ControllerProfile,
): RenderedManifest[] {
  const manifests = [
    renderLoadBalancerConfiguration(spec, profile),
    ...renderTargetGroupConfigurations(spec, profile),
    renderGateway(spec),
    ...renderRoutes(spec, profile),
  ];
  return manifests.map(manifest => ({ path: fileName(manifest), manifest }));
}

/** YAML text of one manifest, as committed. @public */
export function manifestToYaml(manifest: KubernetesManifest): string {
  return stringify(manifest, { lineWidth: 0 });
}
