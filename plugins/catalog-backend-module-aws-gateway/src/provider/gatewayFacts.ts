/**
 * What the provider believes of a Gateway read from a cluster. Kubernetes
 * objects are hostile: every field is checked, and what fails a check is
 * left out (a Gateway whose identity fails is skipped altogether).
 */
import {
  ENTITY_REF_ANNOTATION,
  gatewayConditionState,
  GatewayState,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
  KUBERNETES_ID_LABEL,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  L4ListenerProtocol,
  LBC_NLB_CONTROLLER_NAME,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  familiesCoveredEntirely,
  parseCidr,
  parseElbv2Arn,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ClusterAwsLocation } from '../config';
import { ClusterObjects, UntrustedObject } from './clusterObjects';

/** Gateway API allows 64 listeners per Gateway. */
const MAX_LISTENERS = 64;
/** More source ranges than the controller's security group could hold. */
const MAX_SOURCE_RANGES = 100;
const MAX_DNS_NAME_LENGTH = 253;
const L4_PROTOCOLS = new Set(Object.keys(L4_ROUTE_KIND_FOR_PROTOCOL));

export interface GatewayListenerFact {
  port: number;
  protocol: L4ListenerProtocol;
}

export interface GatewayFacts {
  cluster: string;
  namespace: string;
  name: string;
  /** For the link rule: only the claim annotation is kept. */
  annotations: Partial<Record<typeof ENTITY_REF_ANNOTATION, string>>;
  /** The `backstage.io/kubernetes-id` label, when it is a label value. */
  kubernetesId?: string;
  listeners: GatewayListenerFact[];
  dnsName?: string;
  scheme: 'internet-facing' | 'internal';
  /** Canonical CIDRs; undefined: none configured (the controller opens to the world). */
  sourceRanges?: string[];
  /** Source ranges that were no canonical CIDR and were left out. */
  rejectedSourceRanges: number;
  openToWorld: boolean;
  state: GatewayState;
  /** The NLB's ARN from the Programmed condition, when it is in the cluster's configured AWS account and region. */
  loadBalancerArn?: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Names of the GatewayClasses the LBC's NLB support reconciles. */
export function nlbGatewayClassNames(classes: UntrustedObject[]): Set<string> {
  return new Set(
    classes.flatMap(c => {
      const name = text(record(c.metadata)?.name);
      const controller = text(record(c.spec)?.controllerName);
      return name && controller === LBC_NLB_CONTROLLER_NAME ? [name] : [];
    }),
  );
}

function conditionStatus(status: Record<string, unknown> | undefined) {
  const byType = new Map<string, Record<string, unknown>>();
  for (const c of list(status?.conditions)) {
    const condition = record(c);
    const type = text(condition?.type);
    if (condition && type && !byType.has(type)) byType.set(type, condition);
  }
  return (type: string) => byType.get(type);
}

/** The Gateway's state from its deletion mark and conditions, by the card's rule. */
function stateOf(
  metadata: Record<string, unknown> | undefined,
  status: Record<string, unknown> | undefined,
): GatewayState {
  const condition = conditionStatus(status);
  return gatewayConditionState({
    deleting: metadata?.deletionTimestamp !== undefined,
    accepted: text(condition('Accepted')?.status),
    programmed: text(condition('Programmed')?.status),
  });
}

function listenersOf(spec: Record<string, unknown> | undefined) {
  const seen = new Set<string>();
  return list(spec?.listeners)
    .slice(0, MAX_LISTENERS)
    .flatMap(l => {
      const listener = record(l);
      const port = listener?.port;
      const protocol = text(listener?.protocol);
      if (
        typeof port !== 'number' ||
        !Number.isInteger(port) ||
        port < 1 ||
        port > 65535 ||
        !protocol ||
        !L4_PROTOCOLS.has(protocol)
      ) {
        return [];
      }
      const key = `${protocol}:${port}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ port, protocol: protocol as L4ListenerProtocol }];
    })
    .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** The first Hostname address that is a DNS name, lower-cased. */
function dnsNameOf(status: Record<string, unknown> | undefined) {
  for (const a of list(status?.addresses)) {
    const address = record(a);
    const type = text(address?.type) ?? 'Hostname';
    const value = text(address?.value)?.toLowerCase();
    if (
      type === 'Hostname' &&
      value &&
      value.length <= MAX_DNS_NAME_LENGTH &&
      isDnsSubdomain(value)
    ) {
      return value;
    }
  }
  return undefined;
}

/**
 * The LoadBalancerConfiguration settings in force: the Gateway's own
 * (`spec.infrastructure.parametersRef`, its namespace) over its
 * GatewayClass's (`spec.parametersRef` with a namespace).
 */
function loadBalancerSettingsOf(
  gateway: { namespace: string; spec?: Record<string, unknown> },
  gatewayClass: UntrustedObject | undefined,
  configs: UntrustedObject[],
): { scheme?: unknown; sourceRanges?: unknown } {
  const find = (ref: Record<string, unknown> | undefined, ns: unknown) =>
    ref && text(ref.kind) === 'LoadBalancerConfiguration'
      ? configs.find(c => {
          const meta = record(c.metadata);
          return meta?.namespace === ns && meta?.name === text(ref.name);
        })
      : undefined;
  const gwRef = record(record(gateway.spec?.infrastructure)?.parametersRef);
  const own = record(find(gwRef, gateway.namespace)?.spec);
  const classRef = record(record(gatewayClass?.spec)?.parametersRef);
  const inherited = record(find(classRef, classRef?.namespace)?.spec);
  return {
    scheme: own?.scheme ?? inherited?.scheme,
    sourceRanges: own?.sourceRanges ?? inherited?.sourceRanges,
  };
}

function sourceRangesOf(value: unknown) {
  // An empty list is the controller's default too: open to the world.
  if (!Array.isArray(value) || !value.length) return { rejected: 0 };
  const parsed = value
    .slice(0, MAX_SOURCE_RANGES)
    .map(v => (typeof v === 'string' ? parseCidr(v) : undefined));
  const cidrs = parsed.flatMap(p => (p && 'cidr' in p ? [p.cidr] : []));
  return { cidrs, rejected: value.length - cidrs.length };
}

function trustedArnOf(
  status: Record<string, unknown> | undefined,
  location: ClusterAwsLocation | undefined,
): string | undefined {
  const message = text(conditionStatus(status)('Programmed')?.message)?.trim();
  if (!location || !message?.startsWith('arn:')) return undefined;
  const parsed = parseElbv2Arn(message, 'loadbalancer');
  if (
    !parsed ||
    parsed.region !== location.region ||
    (location.accountId !== undefined &&
      parsed.accountId !== location.accountId)
  ) {
    return undefined;
  }
  return message;
}

/**
 * The facts of every Gateway of an NLB GatewayClass in one cluster's
 * objects, sorted by namespace and name.
 */
export function gatewayFactsOf(
  cluster: string,
  objects: ClusterObjects,
  location: ClusterAwsLocation | undefined,
): GatewayFacts[] {
  const nlbClasses = nlbGatewayClassNames(objects.gatewayClasses);
  const facts = objects.gateways.flatMap((gw): GatewayFacts[] => {
    const metadata = record(gw.metadata);
    const spec = record(gw.spec);
    const status = record(gw.status);
    const namespace = text(metadata?.namespace);
    const name = text(metadata?.name);
    const className = text(spec?.gatewayClassName);
    if (
      !namespace ||
      !name ||
      !isDnsLabel(namespace) ||
      !isDnsSubdomain(name) ||
      !className ||
      !nlbClasses.has(className)
    ) {
      return [];
    }
    const gatewayClass = objects.gatewayClasses.find(
      c => record(c.metadata)?.name === className,
    );
    const settings = loadBalancerSettingsOf(
      { namespace, spec },
      gatewayClass,
      objects.loadBalancerConfigurations,
    );
    const scheme =
      settings.scheme === 'internet-facing' ? 'internet-facing' : 'internal';
    const ranges = sourceRangesOf(settings.sourceRanges);
    const claim = text(record(metadata?.annotations)?.[ENTITY_REF_ANNOTATION]);
    const kubernetesId = text(record(metadata?.labels)?.[KUBERNETES_ID_LABEL]);
    const dnsName = dnsNameOf(status);
    const loadBalancerArn = trustedArnOf(status, location);
    return [
      {
        cluster,
        namespace,
        name,
        annotations: claim ? { [ENTITY_REF_ANNOTATION]: claim } : {},
        ...(kubernetesId && isLabelValue(kubernetesId) ? { kubernetesId } : {}),
        listeners: listenersOf(spec),
        ...(dnsName ? { dnsName } : {}),
        scheme,
        ...(ranges.cidrs
          ? { sourceRanges: ranges.cidrs.map(c => c.text) }
          : {}),
        rejectedSourceRanges: ranges.rejected,
        openToWorld:
          scheme === 'internet-facing' &&
          (!ranges.cidrs || familiesCoveredEntirely(ranges.cidrs).length > 0),
        state: stateOf(metadata, status),
        ...(loadBalancerArn ? { loadBalancerArn } : {}),
      },
    ];
  });
  return facts.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}
