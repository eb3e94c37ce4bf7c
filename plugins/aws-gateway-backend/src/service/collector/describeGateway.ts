/**
 * Reads everything about one Gateway and assembles its status: Kubernetes
 * and ELBv2 in parallel, and only what the trust checks let through. When the
 * Gateway's status names its load balancer, every AWS call is started as
 * soon as the Gateway and its bindings are read -- the load balancer and its
 * tags, its listeners, the bindings' target groups and their health -- so one
 * round trip answers; their answers are used only once the same checks as a
 * step-by-step read pass (the tags say this Gateway's; ELBv2 lists the group
 * for this load balancer). Otherwise, or when AWS disagrees with what the
 * cluster named, the reads follow each other as before.
 */
import {
  GatewayStatus,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayCluster } from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2Reader } from '../../aws/Elbv2Reader';
import { LoadBalancerLocator } from '../../aws/LoadBalancerLocator';
import { ClusterAwsLocation } from '../../config';
import { ClusterReader } from '../../kubernetes/ClusterReader';
import { ClusterEventReader } from '../../kubernetes/events/ClusterEventReader';
import { podsByAddress } from '../../kubernetes/topology';
import { Gateway } from '../../kubernetes/types';
import { buildGatewayStatus } from '../assemble/buildGatewayStatus';
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
} from './awsReads';
import { dedupeErrors, FailureReport } from './failureReport';
import { readNamespaces, readSurroundings } from './kubernetesReads';

/** The per-request readers: created for one collection and then dropped. */
export interface RequestScope {
  elbv2: Elbv2Reader;
  locator: LoadBalancerLocator;
  viewer: GatewayViewer;
  signal?: AbortSignal;
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
  // Start the AWS side now; nothing of it is used before the load balancer's
  // tags say it is this Gateway's.
  if (statusArn) prefetchListeners(scope.elbv2, statusArn);
  const located = scope.locator.locate({
    namespace,
    name: gateway.metadata.name,
    controllerClusterName: location.controllerClusterName,
    statusArn,
    dnsName: gateway.status?.addresses?.[0]?.value,
    target,
  });

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
  const speculated = statusArn
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

  const {
    loadBalancer,
    arn: lbArn,
    failure,
    errors: locateErrors,
  } = await located;
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
    lbArn?.arn === statusArn?.arn &&
    loadBalancer?.type === 'network';
  const { listeners, groups }: LoadBalancerParts = confirmed
    ? await readConfirmedParts(
        scope.elbv2,
        lbArn!,
        await speculated,
        limit,
        report,
        errors,
      )
    : await readLoadBalancerParts(scope.elbv2, lbArn, report, errors);

  // The load balancer's target groups as ELBv2 reports them: the only ones
  // whose health is read and whose bindings are believed.
  const trustedGroups = trustedTargetGroups(groups ?? [], target, limit);
  errors.push(...trustedGroups.errors);
  const health = new Map(
    trustedGroups.trusted.map(g => [
      g.arn.arn,
      readTargetGroupFacts(scope.elbv2, g, report),
    ]),
  );

  const objects = await namespaceReads;
  const owned = ownedBindings(
    objects.bindings,
    groups ? new Set(health.keys()) : undefined,
    cluster.name,
    limit,
  );
  errors.push(...owned.errors);
  const facts = await Promise.all(health.values());
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
    loadBalancer,
    loadBalancerListeners: listeners,
    targetGroups: new Map(facts.map(f => [f.arn, f])),
    errors: dedupeErrors(errors),
  });
  const events = await eventsRead;
  return events
    ? { ...status, events: gatewayEventsOf(events, status) }
    : status;
}
