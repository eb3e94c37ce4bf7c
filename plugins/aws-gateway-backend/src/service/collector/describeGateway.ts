/**
 * Reads everything about one Gateway and assembles its status: Kubernetes
 * and ELBv2 in parallel, and only what the trust checks let through. When the
 * Gateway's status names its load balancer, every AWS call is started as
 * soon as the Gateway and its bindings are read -- the load balancer and its
 * tags, its listeners, the bindings' target groups and their health -- so one
 * round trip answers; their answers are used only once the same checks as a
 * step-by-step read pass (the tags say this Gateway's; ELBv2 lists the group
 * for this load balancer). Otherwise, or when AWS disagrees with what the
 * cluster named, the reads follow each other as before. With the structure
 * cache holding the load balancer for the Kubernetes state read now, only
 * target health is asked (see structureCache.ts); any disagreement drops the
 * entry and the full read answers, in the same request.
 */
import {
  Listener,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GatewayStatus,
  LoadBalancerSummary,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayCluster } from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2Reader } from '../../aws/Elbv2Reader';
import {
  LoadBalancerLocator,
  LocateResult,
} from '../../aws/LoadBalancerLocator';
import { TrustedArn } from '../../aws/trustedArn';
import { ClusterAwsLocation } from '../../config';
import { ClusterReader } from '../../kubernetes/ClusterReader';
import { ClusterEventReader } from '../../kubernetes/events/ClusterEventReader';
import { podsByAddress } from '../../kubernetes/topology';
import { Gateway } from '../../kubernetes/types';
import { buildGatewayStatus } from '../assemble/buildGatewayStatus';
import { TargetGroupFacts } from '../assemble/gatewayFacts';
import { GatewayViewer } from '../entityGateways';
import {
  gatewayEventsOf,
  readGatewayEvents,
} from '../events/readGatewayEvents';
import {
  bindingNamespaces,
  ownedBindings,
  speculativeTargetGroups,
  statusArnOf,
  trustedTargetGroups,
} from '../gatewayTrust';
import {
  LoadBalancerParts,
  prefetchListeners,
  prefetchTargetGroups,
  readConfirmedParts,
  readLoadBalancerParts,
  readTargetGroupFacts,
  readWithKnownStructure,
} from './awsReads';
import { dedupeErrors, FailureReport } from './failureReport';
import { readNamespaces, readSurroundings } from './kubernetesReads';
import {
  gatewayStructureKey,
  LoadBalancerStructureCache,
  surroundingsStructureKey,
} from './structureCache';

/** The per-request readers: created for one collection and then dropped. */
export interface RequestScope {
  elbv2: Elbv2Reader;
  locator: LoadBalancerLocator;
  viewer: GatewayViewer;
  signal?: AbortSignal;
  /** The process's load-balancer structure cache; without it every read is a full read. */
  structures?: LoadBalancerStructureCache;
  /** The user asked for a refresh: a structure older than the refresh bound is read again. */
  refresh?: boolean;
}

export interface DescribeGatewayInput {
  cluster: GatewayCluster;
  location: ClusterAwsLocation;
  reader: ClusterReader;
  /** The cluster's events, read alongside AWS; none when absent. */
  events?: ClusterEventReader;
  gateway: Gateway;
  scope: RequestScope;
  report: FailureReport;
  /** awsGateway.status.maxTargetGroupsPerGateway */
  maxTargetGroups: number;
}

/** The load balancer's side of a Gateway, as the status is assembled from it. */
interface AwsSide {
  loadBalancer?: LoadBalancerSummary;
  listeners: Listener[];
  /** Undefined when they could not be read (then no binding is trusted either). */
  groups?: TargetGroup[];
  facts: TargetGroupFacts[];
}

/** What a full read of the structure found: what is cached when it found it all without an error. */
interface FullRead {
  loadBalancer?: LoadBalancerSummary;
  arn?: TrustedArn;
  parts: LoadBalancerParts;
  errors: StatusError[];
}

/**
 * The full read: the load balancer (located as soon as it is started), its
 * listeners and target groups; with the speculative reads' target groups
 * when the status named the load balancer found.
 */
async function readStructure(
  input: DescribeGatewayInput,
  located: Promise<LocateResult>,
  statusArn: TrustedArn | undefined,
  speculated: Promise<TrustedArn[]> | undefined,
): Promise<FullRead> {
  const { scope, report } = input;
  const errors: StatusError[] = [];
  const { loadBalancer, arn, failure, errors: locateErrors } = await located;
  errors.push(...locateErrors);
  if (failure) {
    errors.push(
      report.failure('aws', failure.error, { action: failure.action }),
    );
  }
  // The speculative reads were made for the load balancer the status named;
  // an NLB's target groups are exactly those its listeners forward to.
  const confirmed =
    speculated &&
    arn?.arn === statusArn?.arn &&
    loadBalancer?.type === 'network';
  const parts = confirmed
    ? await readConfirmedParts(
        scope.elbv2,
        arn!,
        await speculated,
        input.maxTargetGroups,
        report,
        errors,
      )
    : await readLoadBalancerParts(scope.elbv2, arn, report, errors);
  return { loadBalancer, arn, parts, errors };
}

export async function describeGateway(
  input: DescribeGatewayInput,
): Promise<GatewayStatus> {
  const { cluster, location, reader, gateway, scope, report } = input;
  const errors: StatusError[] = [];
  const limit = input.maxTargetGroups;
  const namespace = gateway.metadata.namespace ?? '';
  const target = location.target;
  const trustedStatus = statusArnOf(gateway, target, cluster.name);
  errors.push(...trustedStatus.errors);
  const statusArn = trustedStatus.arn;
  const structures = scope.structures;
  const refresh = Boolean(scope.refresh);
  const gatewayKey = gatewayStructureKey({
    cluster: cluster.name,
    gateway,
    location,
    statusArn,
    limit,
  });
  // Start the AWS side now; nothing of it is used before the load balancer's
  // tags say it is this Gateway's. With a structure that may still hold, the
  // start waits for the Kubernetes reads that decide.
  const locate = () => {
    if (statusArn) prefetchListeners(scope.elbv2, statusArn);
    return scope.locator.locate({
      namespace,
      name: gateway.metadata.name,
      controllerClusterName: location.controllerClusterName,
      statusArn,
      dnsName: gateway.status?.addresses?.[0]?.value,
      target,
    });
  };
  const located = structures?.mayHold(
    cluster.name,
    gateway,
    gatewayKey,
    refresh,
  )
    ? undefined
    : locate();

  const surroundings = await readSurroundings(reader, gateway, report, errors);
  const scoped = bindingNamespaces(
    gateway,
    surroundings.routes,
    cluster.name,
    limit,
  );
  errors.push(...scoped.errors);
  const namespaceReads = readNamespaces(
    reader,
    gateway,
    scoped.namespaces,
    report,
    errors,
  );
  const speculate = () =>
    statusArn
      ? namespaceReads.then(objects => {
          const arns = speculativeTargetGroups(
            objects.bindings,
            surroundings.routes,
            target,
            limit,
          );
          prefetchTargetGroups(scope.elbv2, arns);
          return arns;
        })
      : undefined;
  const speculated = located ? speculate() : undefined;
  const eventsRead = input.events
    ? namespaceReads.then(objects =>
        readGatewayEvents(
          input.events!,
          {
            gateway,
            gatewayClass: surroundings.gatewayClass,
            routes: surroundings.routes,
            bindings: objects.bindings,
            targetGroupConfigurations: surroundings.targetGroupConfigurations,
          },
          report,
        ),
      )
    : undefined;
  const structureKeys = namespaceReads.then(objects => ({
    gatewayKey,
    surroundingsKey: surroundingsStructureKey({
      gateway,
      routes: surroundings.routes,
      bindings: objects.bindings,
      configurations: [
        ...(surroundings.gatewayClass ? [surroundings.gatewayClass] : []),
        ...surroundings.targetGroupConfigurations.filter(c =>
          scoped.namespaces.includes(c.metadata.namespace ?? ''),
        ),
      ],
      loadBalancerSettings: surroundings.loadBalancerSettings,
    }),
  }));

  let side: AwsSide | undefined;
  if (!located && structures) {
    const known = structures.lookup(
      cluster.name,
      await structureKeys,
      { gateway, routes: surroundings.routes },
      refresh,
    );
    const answer =
      known &&
      (await readWithKnownStructure(
        scope.elbv2,
        known,
        (
          await namespaceReads
        ).bindings,
        limit,
        report,
      ));
    if (answer) {
      errors.push(...answer.errors);
      side = answer;
    } else {
      // AWS disagrees, or the key changed: the full read, in this request.
      structures.drop(cluster.name, gateway);
    }
  }
  if (!side) {
    const read = await readStructure(
      input,
      located ?? locate(),
      statusArn,
      speculated ?? speculate(),
    );
    errors.push(...read.errors);
    const { listeners, groups } = read.parts;
    // The load balancer's target groups as ELBv2 reports them: the only ones
    // whose health is read and whose bindings are believed.
    const trustedGroups = trustedTargetGroups(groups ?? [], target, limit);
    errors.push(...trustedGroups.errors);
    const facts = Promise.all(
      trustedGroups.trusted.map(g =>
        readTargetGroupFacts(scope.elbv2, g, report),
      ),
    );
    if (structures && read.loadBalancer && read.arn && groups) {
      if (read.errors.length) structures.drop(cluster.name, gateway);
      else {
        structures.store(
          cluster.name,
          await structureKeys,
          { gateway, routes: surroundings.routes },
          { loadBalancer: read.loadBalancer, arn: read.arn, listeners, groups },
        );
      }
    }
    side = {
      loadBalancer: read.loadBalancer,
      listeners,
      ...(groups ? { groups } : {}),
      facts: await facts,
    };
  }

  const objects = await namespaceReads;
  const owned = ownedBindings(
    objects.bindings,
    side.groups ? new Set(side.facts.map(f => f.arn)) : undefined,
    cluster.name,
    limit,
  );
  errors.push(...owned.errors);
  const status = buildGatewayStatus({
    cluster: cluster.name,
    gateway,
    gatewayClass: surroundings.gatewayClass,
    routes: surroundings.routes,
    bindings: owned.bindings,
    loadBalancerSettings: surroundings.loadBalancerSettings,
    targetGroupConfigurations: surroundings.targetGroupConfigurations,
    services: objects.services,
    podsByAddress: podsByAddress(objects.slices),
    loadBalancer: side.loadBalancer,
    loadBalancerListeners: side.listeners,
    targetGroups: new Map(side.facts.map(f => [f.arn, f])),
    errors: dedupeErrors(errors),
  });
  const events = await eventsRead;
  return events
    ? { ...status, events: gatewayEventsOf(events, status) }
    : status;
}
