import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import { inManifest } from './manifestIssue';
import { tlsPassthroughTargetGroupProtocolIssue } from './rules';
import { KubernetesManifest } from './types';

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** Names of a Gateway's TLS Passthrough listeners. */
function passthroughListeners(gateway: KubernetesManifest): Set<string> {
  const listeners: any[] = gateway.spec?.listeners ?? [];
  return new Set(
    listeners
      .filter(
        l =>
          l?.protocol === 'TLS' &&
          (l.tls?.mode ?? 'Terminate') === 'Passthrough',
      )
      .map(l => String(l.name)),
  );
}

/** The protocol a TargetGroupConfiguration gives the target groups of one route, and where it says so. */
function targetGroupProtocol(
  tgc: KubernetesManifest,
  route: KubernetesManifest,
): { protocol: unknown; path: string } {
  const routeConfigs = (tgc.spec?.routeConfigurations ?? []) as any[];
  const i = routeConfigs.findIndex(
    rc =>
      rc?.routeIdentifier?.kind === route.kind &&
      rc?.routeIdentifier?.name === route.metadata.name &&
      (rc?.routeIdentifier?.namespace ?? route.metadata.namespace) ===
        route.metadata.namespace,
  );
  const routeProtocol =
    i >= 0 ? routeConfigs[i]?.targetGroupProps?.protocol : undefined;
  return routeProtocol !== undefined
    ? {
        protocol: routeProtocol,
        path: `spec.routeConfigurations[${i}].targetGroupProps.protocol`,
      }
    : {
        protocol: tgc.spec?.defaultConfiguration?.protocol,
        path: 'spec.defaultConfiguration.protocol',
      };
}

/**
 * Across manifests: every Service a TLSRoute sends to from a TLS Passthrough
 * listener needs a target group of protocol TCP (see rules.ts).
 */
export function tlsPassthroughManifestIssues(
  manifests: KubernetesManifest[],
): ManifestIssue[] {
  const passthrough = new Map<string, Set<string>>();
  for (const m of manifests) {
    if (m.kind === 'Gateway')
      passthrough.set(
        key(m.metadata.namespace, m.metadata.name),
        passthroughListeners(m),
      );
  }
  const tgcs = new Map<string, KubernetesManifest>();
  for (const m of manifests) {
    const target = m.spec?.targetReference;
    if (
      m.kind === 'TargetGroupConfiguration' &&
      target?.name &&
      (target.kind ?? 'Service') === 'Service'
    ) {
      tgcs.set(key(m.metadata.namespace, target.name), m);
    }
  }
  const issues: ManifestIssue[] = [];
  for (const route of manifests.filter(m => m.kind === 'TLSRoute')) {
    const parents: any[] = route.spec?.parentRefs ?? [];
    const viaPassthrough = parents.some(p => {
      const listeners = passthrough.get(
        key(p?.namespace ?? route.metadata.namespace, p?.name),
      );
      return (
        !!listeners?.size &&
        (p?.sectionName === undefined || listeners.has(p.sectionName))
      );
    });
    if (!viaPassthrough) continue;
    ((route.spec?.rules ?? []) as any[]).forEach((rule, i) =>
      ((rule?.backendRefs ?? []) as any[]).forEach((ref, j) => {
        if ((ref?.kind ?? 'Service') !== 'Service' || !ref?.name) return;
        const namespace = ref.namespace ?? route.metadata.namespace;
        const service = `${namespace ?? ''}/${ref.name}`;
        const tgc = tgcs.get(key(namespace, ref.name));
        const configured = tgc && targetGroupProtocol(tgc, route);
        const found = configured
          ? tlsPassthroughTargetGroupProtocolIssue(
              configured.protocol,
              service,
              configured.path,
            )
          : tlsPassthroughTargetGroupProtocolIssue(
              undefined,
              service,
              `spec.rules[${i}].backendRefs[${j}]`,
            );
        if (found) issues.push(inManifest(tgc ?? route, found));
      }),
    );
  }
  return issues;
}
