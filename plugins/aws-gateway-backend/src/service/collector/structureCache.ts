/**
 * The load-balancer structure cache: per process, what the AWS Load Balancer
 * Controller creates and changes only when it reconciles -- the load balancer
 * found for a Gateway (its tags checked), its listeners and the target groups
 * ELBv2 lists for it -- so that a status read asks AWS only for what changes
 * on its own (target health). An entry is keyed by the Kubernetes state the
 * controller reconciles from and is used only while that state is unchanged
 * and reconciled, for at most `maxAgeMs` (what changes in AWS out of band,
 * tags included, shows within that bound). Each replica holds its own: an
 * entry is checked against the Kubernetes state that replica reads, never
 * against another's.
 */
import crypto from 'node:crypto';
import {
  Listener,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ConditionSummary,
  LoadBalancerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { TrustedArn, targetKey } from '../../aws/trustedArn';
import { BoundedMap } from '../../boundedMap';
import { ClusterAwsLocation } from '../../config';
import { refersTo } from '../../kubernetes/topology';
import {
  Gateway,
  KubeObject,
  L4Route,
  TargetGroupBinding,
} from '../../kubernetes/types';

/** What a structure read established about a Gateway's load balancer. */
export interface LoadBalancerStructure {
  loadBalancer: LoadBalancerSummary;
  /** The load balancer's ARN as ELBv2 answered it, trusted. */
  arn: TrustedArn;
  listeners: Listener[];
  /** The target groups ELBv2 lists for this load balancer (their LoadBalancerArns name it). */
  groups: TargetGroup[];
}

/** The Gateway's own part of the key: known before anything around it is read. */
export interface GatewayKeyInput {
  cluster: string;
  gateway: Gateway;
  location: ClusterAwsLocation;
  /** The trusted ARN the Gateway's Programmed condition names. */
  statusArn?: TrustedArn;
  /** awsGateway.status.maxTargetGroupsPerGateway: what a read keeps depends on it. */
  limit: number;
}

/** What the controller reconciles the Gateway's load balancer from, around the Gateway. */
export interface SurroundingsKeyInput {
  gateway: Gateway;
  routes: L4Route[];
  /** The Gateway's candidate TargetGroupBindings (labelled for its stack). */
  bindings: TargetGroupBinding[];
  /** The GatewayClass and TG configurations that may apply (their identity and generation only are used). */
  configurations: KubeObject[];
  /** What the LoadBalancerConfigurations that apply set. */
  loadBalancerSettings: { scheme?: string; sourceRanges?: string[] };
}

interface Entry {
  gatewayKey: string;
  surroundingsKey: string;
  storedAt: number;
  structure: LoadBalancerStructure;
}

export interface StructureCacheOptions {
  /** Longest an entry is used (awsGateway.status.structureMaxAgeSeconds); 0 disables the cache. */
  maxAgeMs: number;
  /** A refresh (the card's refresh button) re-reads entries older than this. */
  refreshAfterMs: number;
  /** Gateways remembered, least recently stored dropped. */
  maxEntries?: number;
  now?: () => number;
}

/** Gateways remembered per process: entries are a few KB each. */
export const STRUCTURE_CACHE_ENTRIES = 5_000;

/** Identity and generation: what changes when an object's spec does, not its status. */
function specIdentity(o: KubeObject): string {
  return `${o.kind ?? ''}/${o.metadata.namespace ?? ''}/${o.metadata.name}|${
    o.metadata.uid ?? ''
  }|${o.metadata.generation ?? ''}`;
}

function digest(parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Whether every condition that says which generation it observed observed this one. */
function observedCurrent(
  generation: number | undefined,
  conditions: ConditionSummary[] | undefined,
): boolean {
  return (conditions ?? []).every(
    c =>
      c.observedGeneration === undefined || c.observedGeneration === generation,
  );
}

/**
 * Whether the controller has reconciled the Gateway and its routes as they
 * are now: the conditions it wrote observed their current generations, and
 * each route has its status for this Gateway. Before that, AWS may be about
 * to change while Kubernetes already has: nothing is cached or used.
 */
export function reconciled(gateway: Gateway, routes: L4Route[]): boolean {
  if (!observedCurrent(gateway.metadata.generation, gateway.status?.conditions))
    return false;
  return routes.every(route => {
    const ours = (route.status?.parents ?? []).filter(p =>
      refersTo(p.parentRef, route.metadata.namespace ?? '', gateway),
    );
    return (
      ours.length > 0 &&
      ours.every(p => observedCurrent(route.metadata.generation, p.conditions))
    );
  });
}

/**
 * The Gateway's part of the key: its identity and generation, the load
 * balancer its status names (ARN and address), where its AWS calls go and
 * which controller's tags are believed. Status-only writes that keep these
 * leave the entry in place.
 */
export function gatewayStructureKey(input: GatewayKeyInput): string {
  const { gateway, location } = input;
  return digest([
    input.cluster,
    specIdentity(gateway),
    input.statusArn?.arn ?? '',
    String(gateway.status?.addresses?.[0]?.value ?? ''),
    location.target ? targetKey(location.target) : '',
    location.controllerClusterName,
    String(input.limit),
  ]);
}

/**
 * The surroundings' part: the routes (their backends and listeners), the
 * bindings (the target groups they name), the class and TG configurations,
 * each by identity and generation in a stable order, and what the
 * LoadBalancerConfigurations set.
 */
export function surroundingsStructureKey(input: SurroundingsKeyInput): string {
  const objects = [...input.routes, ...input.configurations].map(specIdentity);
  const bindings = input.bindings.map(
    b => `${specIdentity(b)}|${String(b.spec?.targetGroupARN ?? '')}`,
  );
  return digest([
    ...objects.sort(),
    '--',
    ...bindings.sort(),
    '--',
    JSON.stringify(input.loadBalancerSettings),
  ]);
}

/** Where a Gateway's entry lives: one per Gateway object. */
function slotOf(cluster: string, gateway: Gateway): string {
  return `${cluster}|${gateway.metadata.namespace ?? ''}/${
    gateway.metadata.name
  }`;
}

/** Per process, bounded; see the module comment. */
export class LoadBalancerStructureCache {
  private readonly entries: BoundedMap<string, Entry>;
  private readonly now: () => number;

  constructor(private readonly options: StructureCacheOptions) {
    this.entries = new BoundedMap(
      options.maxEntries ?? STRUCTURE_CACHE_ENTRIES,
    );
    this.now = options.now ?? Date.now;
  }

  /** The entry, if it may serve this read; an expired or mismatching one is dropped. */
  private usable(
    cluster: string,
    gateway: Gateway,
    gatewayKey: string,
    refresh: boolean,
  ): Entry | undefined {
    const slot = slotOf(cluster, gateway);
    const entry = this.entries.get(slot);
    if (!entry) return undefined;
    const age = this.now() - entry.storedAt;
    const maxAge = refresh
      ? Math.min(this.options.refreshAfterMs, this.options.maxAgeMs)
      : this.options.maxAgeMs;
    if (entry.gatewayKey !== gatewayKey || age > maxAge || age < 0) {
      this.entries.delete(slot);
      return undefined;
    }
    return entry;
  }

  /**
   * Whether an entry may answer for this Gateway as it is now (the rest of
   * the key is checked by `lookup`): when not, the read starts at once.
   */
  mayHold(
    cluster: string,
    gateway: Gateway,
    gatewayKey: string,
    refresh: boolean,
  ): boolean {
    return Boolean(this.usable(cluster, gateway, gatewayKey, refresh));
  }

  /** The structure, when the whole key matches and the controller has reconciled what it is keyed by. */
  lookup(
    cluster: string,
    keys: { gatewayKey: string; surroundingsKey: string },
    surroundings: Pick<SurroundingsKeyInput, 'gateway' | 'routes'>,
    refresh: boolean,
  ): LoadBalancerStructure | undefined {
    const { gateway } = surroundings;
    const entry = this.usable(cluster, gateway, keys.gatewayKey, refresh);
    if (!entry) return undefined;
    if (
      entry.surroundingsKey !== keys.surroundingsKey ||
      !reconciled(gateway, surroundings.routes)
    ) {
      this.drop(cluster, gateway);
      return undefined;
    }
    return entry.structure;
  }

  /** Keeps what a full read established, when the controller has reconciled what it is keyed by. */
  store(
    cluster: string,
    keys: { gatewayKey: string; surroundingsKey: string },
    surroundings: Pick<SurroundingsKeyInput, 'gateway' | 'routes'>,
    structure: LoadBalancerStructure,
  ): void {
    if (this.options.maxAgeMs <= 0) return;
    const { gateway } = surroundings;
    if (!reconciled(gateway, surroundings.routes)) {
      this.drop(cluster, gateway);
      return;
    }
    this.entries.set(slotOf(cluster, gateway), {
      ...keys,
      storedAt: this.now(),
      structure,
    });
  }

  /** Forgets a Gateway's entry (AWS disagreed with it). */
  drop(cluster: string, gateway: Gateway): void {
    this.entries.delete(slotOf(cluster, gateway));
  }

  get size(): number {
    return this.entries.size;
  }
}
