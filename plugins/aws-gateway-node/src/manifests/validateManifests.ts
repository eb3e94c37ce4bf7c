import {
  ControllerProfile,
  CONTROLLER_PROFILES,
  GATEWAY_API_VERSION,
  L4_ROUTE_KINDS,
  L4RouteKind,
  LBC_API_GROUP_NAME,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  healthCheckProtocolIssue,
  instanceTargetIssue,
  listenerHostnameIssue,
} from './rules';
import { issue, inManifest } from './manifestIssue';
import { tlsPassthroughManifestIssues } from './tlsPassthroughManifests';
import { KubernetesManifest, ObservedService } from './types';

const LBC_KINDS = ['LoadBalancerConfiguration', 'TargetGroupConfiguration'];
const MAX_BACKENDS_PER_RULE = 16;

/** Everything the manifest validator knows besides the manifests. @public */
export interface ManifestValidationContext {
  profile: ControllerProfile;
  /** Services as the cluster reports them, keyed `namespace/name`; undefined skips the Service checks. */
  services?: Map<string, ObservedService | undefined>;
}

type Check = (
  m: KubernetesManifest,
  ctx: ManifestValidationContext,
) => ManifestIssue[];

/** The versions each profile's API server actually serves for a kind. */
function routeApiVersionIssues(
  m: KubernetesManifest,
  { profile }: ManifestValidationContext,
): ManifestIssue[] {
  const kind = m.kind as L4RouteKind;
  if (!L4_ROUTE_KINDS.includes(kind)) return [];
  const expected = profile.routeApiVersions[kind];
  if (m.apiVersion === expected) return [];
  const servedBy = Object.values(CONTROLLER_PROFILES)
    .filter(p => p.routeApiVersions[kind] === m.apiVersion)
    .map(p => p.id);
  return [
    issue(
      m,
      'apiVersion',
      'route-api-version',
      `${kind} must be ${expected} for ${profile.title}; "${m.apiVersion}" ${
        servedBy.length ? `is for ${servedBy.join(', ')} and ` : ''
      }would be rejected or ignored`,
    ),
  ];
}

function lbcApiVersionIssues(
  m: KubernetesManifest,
  { profile }: ManifestValidationContext,
): ManifestIssue[] {
  if (!LBC_KINDS.includes(m.kind) || m.apiVersion === profile.lbcApiVersion)
    return [];
  // v3.5 still serves v1beta1 (deprecated); older controllers serve only v1beta1.
  if (
    profile.id === 'lbc-v3.5' &&
    m.apiVersion === `${LBC_API_GROUP_NAME}/v1beta1`
  )
    return [];
  return [
    issue(
      m,
      'apiVersion',
      'lbc-api-version',
      `${m.kind} must be ${profile.lbcApiVersion} for ${profile.title}, not "${m.apiVersion}"`,
    ),
  ];
}

function gatewayIssues(m: KubernetesManifest): ManifestIssue[] {
  if (m.kind !== 'Gateway') return [];
  const issues: ManifestIssue[] = [];
  if (m.apiVersion !== GATEWAY_API_VERSION) {
    issues.push(
      issue(
        m,
        'apiVersion',
        'gateway-api-version',
        `Gateway must be ${GATEWAY_API_VERSION}`,
      ),
    );
  }
  const listeners: any[] = m.spec?.listeners ?? [];
  listeners.forEach((l, i) => {
    const path = `spec.listeners[${i}]`;
    const hostname = listenerHostnameIssue(
      l?.protocol,
      l?.hostname,
      `${path}.hostname`,
    );
    if (hostname) issues.push(inManifest(m, hostname));
    if (l?.protocol === 'TLS') {
      const mode = l.tls?.mode;
      if (!mode) {
        issues.push(
          issue(
            m,
            `${path}.tls.mode`,
            'tls-mode-required',
            'TLS listeners need tls.mode (Passthrough, or Terminate with certificateRefs)',
          ),
        );
      } else if (mode === 'Terminate' && !(l.tls.certificateRefs?.length > 0)) {
        issues.push(
          issue(
            m,
            `${path}.tls.certificateRefs`,
            'tls-terminate-certificate-refs',
            'tls.mode Terminate needs certificateRefs (the NLB certificate itself comes from the LoadBalancerConfiguration listenerConfigurations[].defaultCertificate)',
          ),
        );
      }
    }
  });
  const ref = m.spec?.infrastructure?.parametersRef;
  if (
    ref &&
    (ref.group !== LBC_API_GROUP_NAME ||
      ref.kind !== 'LoadBalancerConfiguration' ||
      !ref.name)
  ) {
    issues.push(
      issue(
        m,
        'spec.infrastructure.parametersRef',
        'gateway-parameters-ref',
        `must reference group ${LBC_API_GROUP_NAME}, kind LoadBalancerConfiguration and a name in the Gateway's namespace`,
      ),
    );
  }
  return issues;
}

function gatewayClassIssues(m: KubernetesManifest): ManifestIssue[] {
  if (m.kind !== 'GatewayClass') return [];
  const ref = m.spec?.parametersRef;
  if (ref?.kind === 'LoadBalancerConfiguration' && !ref.namespace) {
    return [
      issue(
        m,
        'spec.parametersRef.namespace',
        'gatewayclass-parameters-ref-namespace',
        'a GatewayClass parametersRef to a LoadBalancerConfiguration must set namespace (the controller rejects it otherwise; older versions crashed)',
      ),
    ];
  }
  return [];
}

function routeRuleIssues(m: KubernetesManifest): ManifestIssue[] {
  if (
    !L4_ROUTE_KINDS.includes(m.kind as L4RouteKind) ||
    !m.apiVersion.endsWith('/v1')
  )
    return [];
  const issues: ManifestIssue[] = [];
  const rules: any[] = m.spec?.rules ?? [];
  if (m.kind !== 'TLSRoute' && rules.length !== 1) {
    issues.push(
      issue(
        m,
        'spec.rules',
        'route-rules',
        `v1 ${m.kind} must have exactly one rule (has ${rules.length})`,
      ),
    );
  }
  rules.forEach((rule, i) => {
    const count = rule?.backendRefs?.length ?? 0;
    if (count < 1 || count > MAX_BACKENDS_PER_RULE) {
      issues.push(
        issue(
          m,
          `spec.rules[${i}].backendRefs`,
          'route-backend-count',
          `must have 1 to ${MAX_BACKENDS_PER_RULE} backendRefs (has ${count})`,
        ),
      );
    }
  });
  if (m.kind === 'TLSRoute' && !(m.spec?.hostnames?.length > 0)) {
    issues.push(
      issue(
        m,
        'spec.hostnames',
        'tlsroute-hostnames',
        'v1 TLSRoute requires hostnames',
      ),
    );
  }
  return issues;
}

function targetGroupConfigurationIssues(
  m: KubernetesManifest,
  ctx: ManifestValidationContext,
): ManifestIssue[] {
  if (m.kind !== 'TargetGroupConfiguration') return [];
  const issues: ManifestIssue[] = [];
  const target = m.spec?.targetReference;
  if (!target?.name && ctx.profile.targetReferenceRequired) {
    issues.push(
      issue(
        m,
        'spec.targetReference',
        'tgc-target-reference',
        `targetReference is required for ${ctx.profile.title}`,
      ),
    );
  }
  const props = [
    ['spec.defaultConfiguration', m.spec?.defaultConfiguration],
    ...((m.spec?.routeConfigurations ?? []) as any[]).map((rc, i) => [
      `spec.routeConfigurations[${i}].targetGroupProps`,
      rc?.targetGroupProps,
    ]),
  ] as Array<[string, any]>;
  for (const [path, p] of props) {
    const protocol = healthCheckProtocolIssue(
      p?.healthCheckConfig?.healthCheckProtocol,
      `${path}.healthCheckConfig.healthCheckProtocol`,
    );
    if (protocol) issues.push(inManifest(m, protocol));
    if (target?.name && (target.kind ?? 'Service') === 'Service') {
      const service = ctx.services?.get(
        `${m.metadata.namespace}/${target.name}`,
      );
      const targetType = instanceTargetIssue(
        p?.targetType,
        service,
        `${path}.targetType`,
      );
      if (targetType) issues.push(inManifest(m, targetType));
    }
  }
  return issues;
}

const CHECKS: Check[] = [
  routeApiVersionIssues,
  lbcApiVersionIssues,
  gatewayIssues,
  gatewayClassIssues,
  routeRuleIssues,
  targetGroupConfigurationIssues,
];

/**
 * Our own rules over manifests, rendered or hand-written: the controller's
 * known pitfalls for the target profile. Each issue names `Kind/name: path`.
 *
 * @public
 */
export function validateManifests(
  manifests: KubernetesManifest[],
  ctx: ManifestValidationContext,
): ManifestIssue[] {
  return [
    ...manifests.flatMap(m => CHECKS.flatMap(check => check(m, ctx))),
    ...tlsPassthroughManifestIssues(manifests),
  ];
}
