/**
 * The rows of the "Exposed endpoints" page, from the catalog Resources the
 * catalog module publishes for each NLB Gateway. The catalog's data is read
 * defensively: a value that is not what the module writes is left out.
 */
import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  GATEWAY_RESOURCE_ANNOTATIONS as A,
  GatewayState,
} from '@gateway-portal/plugin-aws-gateway-common';

const STATES: readonly GatewayState[] = [
  'programmed',
  'provisioning',
  'error',
  'unknown',
  'removing',
];

export interface EndpointRow {
  /** The Resource's ref, unique per row. */
  ref: string;
  title: string;
  cluster: string;
  namespace: string;
  name: string;
  dnsName?: string;
  scheme: 'internet-facing' | 'internal';
  openToWorld: boolean;
  /** Undefined: none configured (the controller admits every source). */
  sourceRanges?: string[];
  /** `TCP:8080` … */
  listeners: string[];
  /** Entity ref of the owner. */
  owner: string;
  /** Entity ref of the component the Gateway exposes, when it may claim one. */
  component?: string;
  state: GatewayState;
  /** Only an https AWS console address. */
  consoleUrl?: string;
}

function relationTarget(entity: Entity, type: string): string | undefined {
  return entity.relations?.find(r => r.type === type)?.targetRef;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);
}

/** An https link to an AWS console domain, else undefined. */
function consoleUrlOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    const awsConsole =
      /(^|\.)console\.aws\.amazon\.com$/.test(url.hostname) ||
      /(^|\.)console\.amazonaws-us-gov\.com$/.test(url.hostname) ||
      /(^|\.)console\.amazonaws\.cn$/.test(url.hostname);
    return url.protocol === 'https:' && awsConsole ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function endpointRowOf(entity: Entity): EndpointRow {
  const annotations = entity.metadata.annotations ?? {};
  const consoleUrl = consoleUrlOf(annotations[A.consoleUrl]);
  const component = relationTarget(entity, RELATION_DEPENDENCY_OF);
  const state = annotations[A.state] as GatewayState;
  const owner =
    relationTarget(entity, RELATION_OWNED_BY) ??
    (typeof entity.spec?.owner === 'string' ? entity.spec.owner : '');
  const sourceRanges = annotations[A.sourceRanges];
  return {
    ref: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    cluster: annotations[A.cluster] ?? '',
    namespace: annotations[A.namespace] ?? '',
    name: annotations[A.name] ?? entity.metadata.name,
    ...(annotations[A.dnsName] ? { dnsName: annotations[A.dnsName] } : {}),
    scheme:
      annotations[A.scheme] === 'internet-facing'
        ? 'internet-facing'
        : 'internal',
    openToWorld: annotations[A.openToWorld] === 'true',
    ...(sourceRanges !== undefined ? { sourceRanges: list(sourceRanges) } : {}),
    listeners: list(annotations[A.listeners]),
    owner,
    ...(component ? { component } : {}),
    state: STATES.includes(state) ? state : 'unknown',
    ...(consoleUrl ? { consoleUrl } : {}),
  };
}

/** Internet-facing first (open to the world before restricted), then by cluster, namespace, name. */
export function sortEndpointRows(rows: EndpointRow[]): EndpointRow[] {
  const exposure = (r: EndpointRow) => {
    if (r.scheme !== 'internet-facing') return 2;
    return r.openToWorld ? 0 : 1;
  };
  return [...rows].sort(
    (a, b) =>
      exposure(a) - exposure(b) ||
      a.cluster.localeCompare(b.cluster) ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
}

export interface EndpointFilter {
  cluster?: string;
  scheme?: EndpointRow['scheme'];
  owner?: string;
}

export function filterEndpointRows(
  rows: EndpointRow[],
  filter: EndpointFilter,
): EndpointRow[] {
  return rows.filter(
    r =>
      (!filter.cluster || r.cluster === filter.cluster) &&
      (!filter.scheme || r.scheme === filter.scheme) &&
      (!filter.owner || r.owner === filter.owner),
  );
}

/** The distinct values of a field, sorted, for a filter's options. */
export function distinctValues(
  rows: EndpointRow[],
  field: 'cluster' | 'owner',
): string[] {
  return [...new Set(rows.map(r => r[field]).filter(Boolean))].sort((a, b) =>
    a.localeCompare(b),
  );
}

/** `group:default/team-a` → `team-a`, as the catalog shows refs in its own namespace. */
export function shortRef(ref: string, defaultKind: string): string {
  try {
    const parsed = parseEntityRef(ref);
    const kind =
      parsed.kind.toLocaleLowerCase('en-US') === defaultKind
        ? ''
        : `${parsed.kind}:`;
    const namespace =
      parsed.namespace === 'default' ? '' : `${parsed.namespace}/`;
    return `${kind}${namespace}${parsed.name}`;
  } catch {
    return ref;
  }
}
