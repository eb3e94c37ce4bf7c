import {
  ENTITY_REF_ANNOTATION,
  endpointTargetPath,
  EndpointHealthCheck,
  EndpointSpec,
  KUBERNETES_ID_LABEL,
  L4_ROUTE_KINDS,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  KubernetesManifest,
  manifestToYaml,
  renderEndpointManifests,
  validateEndpointSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  BundleFile,
  BundleGuardrails,
  checkIssues,
  matchProfile,
  only,
  Parsed,
  refuse,
  RenderedBundle,
} from './bundleChecks';

/** An endpoint's files: the Gateway, its routes and the two LBC configurations, rendered again from what they say. */

export function verifyEndpointBundle(
  files: BundleFile[],
  manifests: Parsed,
  { gatewayGuardrails }: BundleGuardrails,
): RenderedBundle {
  const { spec, subject } = readEndpointManifests(manifests);
  // The guardrails of the render action, from their one home in the node library.
  checkIssues(
    `${subject} breaks the guardrails`,
    validateEndpointSpec(spec, { guardrails: gatewayGuardrails }),
  );
  const { profile, difference } = matchEndpointRender(files, spec);
  if (!profile) {
    throw refuse(
      difference!,
      'not-rendered',
      `is not what ${AWS_GATEWAY_ACTION_ID.renderEndpoint} renders for ${subject} (added, changed or missing)`,
    );
  }
  return {
    kind: 'endpoint',
    subject,
    targetPath: endpointTargetPath(spec.namespace, spec.name),
    profile,
    files,
    gateway: { namespace: spec.namespace, name: spec.name },
  };
}

/** The render input an endpoint's manifests say they were made from (one Gateway, one namespace). */
export function readEndpointManifests(manifests: Parsed): {
  spec: EndpointSpec;
  subject: string;
} {
  const gateway = only(manifests, 'Gateway', 'an endpoint').manifest;
  const namespace = gateway.metadata.namespace ?? '';
  for (const { file, manifest } of manifests) {
    if (manifest.metadata.namespace !== namespace) {
      throw refuse(
        file,
        'namespace-mismatch',
        `is in namespace "${
          manifest.metadata.namespace ?? ''
        }", not the Gateway's "${namespace}"`,
      );
    }
  }
  return {
    spec: endpointSpecFrom(gateway, manifests),
    subject: `Gateway ${namespace}/${gateway.metadata.name}`,
  };
}

/** The controller profile whose render of `spec` gives exactly `files`, or the first file that differs. */
export function matchEndpointRender(
  files: BundleFile[],
  spec: EndpointSpec,
): ReturnType<typeof matchProfile> {
  return matchProfile(
    files,
    p =>
      new Map(
        renderEndpointManifests(spec, p).map(r => [
          r.path,
          manifestToYaml(r.manifest),
        ]),
      ),
  );
}

/** The render input the manifests were made from; anything the render does not produce fails the comparison later. */
function endpointSpecFrom(
  gateway: KubernetesManifest,
  manifests: Parsed,
): EndpointSpec {
  const ofKind = (kinds: readonly string[]) =>
    manifests.map(m => m.manifest).filter(m => kinds.includes(m.kind));
  const lbc = ofKind(['LoadBalancerConfiguration'])[0]?.spec ?? {};
  const tgc =
    ofKind(['TargetGroupConfiguration'])[0]?.spec?.defaultConfiguration ?? {};
  const hc = tgc.healthCheckConfig;
  const healthCheck: EndpointHealthCheck | undefined = hc && {
    protocol: hc.healthCheckProtocol,
    port: hc.healthCheckPort,
    path: hc.healthCheckPath,
    intervalSeconds: hc.healthCheckInterval,
    timeoutSeconds: hc.healthCheckTimeout,
    healthyThreshold: hc.healthyThresholdCount,
    unhealthyThreshold: hc.unhealthyThresholdCount,
    matcher: hc.matcher?.httpCode,
  };
  if (healthCheck) {
    for (const key of Object.keys(healthCheck) as Array<
      keyof EndpointHealthCheck
    >) {
      if (healthCheck[key] === undefined) delete healthCheck[key];
    }
  }
  const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  return {
    name: gateway.metadata.name,
    namespace: gateway.metadata.namespace ?? '',
    gatewayClassName: gateway.spec?.gatewayClassName,
    listeners: asArray(gateway.spec?.listeners).map(l => ({
      name: l?.name,
      protocol: l?.protocol,
      port: l?.port,
      ...(l?.hostname !== undefined ? { hostname: l.hostname } : {}),
    })),
    routes: ofKind(L4_ROUTE_KINDS).map(r => ({
      name: r.metadata.name,
      listener: r.spec?.parentRefs?.[0]?.sectionName,
      backends: asArray(r.spec?.rules?.[0]?.backendRefs).map(b => ({
        service: b?.name,
        port: b?.port,
        ...(b?.weight !== undefined ? { weight: b.weight } : {}),
      })),
    })),
    scheme: lbc.scheme,
    sourceCidrs: asArray(lbc.sourceRanges),
    targetType: tgc.targetType ?? 'ip',
    ...(healthCheck ? { healthCheck } : {}),
    ...(lbc.tags ? { tags: lbc.tags } : {}),
    ...(lbc.loadBalancerName !== undefined
      ? { loadBalancerName: lbc.loadBalancerName }
      : {}),
    ...(gateway.metadata.annotations?.[ENTITY_REF_ANNOTATION] !== undefined
      ? { entityRef: gateway.metadata.annotations[ENTITY_REF_ANNOTATION] }
      : {}),
    ...(gateway.metadata.labels?.[KUBERNETES_ID_LABEL] !== undefined
      ? { kubernetesId: gateway.metadata.labels[KUBERNETES_ID_LABEL] }
      : {}),
  };
}
