/**
 * What the status backend believes of what it reads about a Gateway: which
 * Gateways it reports as not linked (and how little it says of them), which
 * of the load balancer's target groups it reads, which TargetGroupBindings it
 * uses. Pure: every function returns what it keeps and the errors to show.
 */
import {
  Listener,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { AwsTarget } from '@gateway-portal/plugin-aws-gateway-node';
import { loadBalancerArnOf } from '../aws/LoadBalancerLocator';
import { trustArn, TrustedArn } from '../aws/trustedArn';
import {
  backendsOf,
  bindingServes,
  findCondition,
} from '../kubernetes/topology';
import { Gateway, L4Route, TargetGroupBinding } from '../kubernetes/types';
import { forwardTargetGroupArns } from './assemble/listenerSummaries';
import { GatewaySelector } from './entityGateways';

/** `1 Gateway is`, `2 Gateways are`. */
function count(n: number, noun: string, verb: [string, string]): string {
  return `${n} ${noun}${n === 1 ? '' : 's'} ${n === 1 ? verb[0] : verb[1]}`;
}

const LINK_FIX =
  "set the Gateway's aws-gateway.io/entity-ref annotation to this entity, or map its namespace to the entity's owner in awsGateway.status.namespaceOwners";

/**
 * Says that Gateways exist but do not name this entity, without any of their
 * data. Gateways found by a borrowed label are only counted.
 */
export function notLinkedErrors(
  cluster: string,
  selector: GatewaySelector,
  gateways: Gateway[],
): StatusError[] {
  if (!gateways.length) return [];
  const error = (message: string): StatusError => ({
    part: 'catalog',
    kind: 'permission',
    cluster,
    message: `${message} not linked to this entity and not shown; ${LINK_FIX}`,
  });
  if (selector.type === 'label') {
    return [
      error(
        `${count(gateways.length, 'Gateway', ['', ''])}labelled ${
          selector.labelSelector
        } in cluster ${cluster} ${gateways.length === 1 ? 'is' : 'are'}`,
      ),
    ];
  }
  return gateways.map(gw =>
    error(
      `Gateway ${gw.metadata.namespace}/${gw.metadata.name} in cluster ${cluster} is`,
    ),
  );
}

function untrustedTargetGroupsError(untrusted: number): StatusError {
  return {
    part: 'aws',
    kind: 'error',
    message: `${count(untrusted, 'target group', [
      'has',
      'have',
    ])} an ARN outside this cluster's configured AWS account and region and ${
      untrusted === 1 ? 'was' : 'were'
    } ignored`,
  };
}

/** The load balancer's target groups whose ARNs are trusted, at most `limit`. */
export function trustedTargetGroups(
  groups: TargetGroup[],
  target: AwsTarget | undefined,
  limit: number,
): {
  trusted: Array<{ arn: TrustedArn; group: TargetGroup }>;
  errors: StatusError[];
} {
  const errors: StatusError[] = [];
  const trusted = groups.flatMap(group => {
    const arn = trustArn(group.TargetGroupArn, 'targetgroup', target);
    return arn ? [{ arn, group }] : [];
  });
  const untrusted = groups.length - trusted.length;
  if (untrusted > 0) errors.push(untrustedTargetGroupsError(untrusted));
  if (trusted.length > limit) {
    errors.push({
      part: 'aws',
      kind: 'error',
      message: `The load balancer has ${trusted.length} target groups; only ${limit} are read (awsGateway.status.maxTargetGroupsPerGateway)`,
    });
  }
  return { trusted: trusted.slice(0, limit), errors };
}

/**
 * The target groups ELBv2 lists for this load balancer: those whose
 * LoadBalancerArns (ELBv2's own answer, not a binding's claim) name it.
 */
export function groupsOfLoadBalancer(
  groups: TargetGroup[],
  loadBalancer: TrustedArn,
): TargetGroup[] {
  return groups.filter(g =>
    (g.LoadBalancerArns ?? []).includes(loadBalancer.arn),
  );
}

/**
 * The target groups the load balancer's listeners forward to, as ELBv2
 * answered them: which groups to describe. An ARN outside the configured
 * location is never called (an error says so).
 */
export function forwardedTargetGroups(
  listeners: Listener[],
  target: AwsTarget | undefined,
): { arns: TrustedArn[]; errors: StatusError[] } {
  const all = [...new Set(listeners.flatMap(forwardTargetGroupArns))];
  const arns = all.flatMap(a => {
    const arn = trustArn(a, 'targetgroup', target);
    return arn ? [arn] : [];
  });
  const untrusted = all.length - arns.length;
  return {
    arns,
    errors: untrusted > 0 ? [untrustedTargetGroupsError(untrusted)] : [],
  };
}

/**
 * The target groups asked about before the load balancer is known to be the
 * Gateway's (so that one AWS round trip answers a status read): those of
 * bindings as the controller makes them -- labelled for the Gateway (the
 * candidates), with a trusted ARN, serving one of its routes' backends, the
 * only candidate serving it. Their answers are used only once ELBv2 lists the
 * group for the Gateway's load balancer (groupsOfLoadBalancer). A binding
 * that serves no backend, or claims a backend another binding claims, is
 * never asked about unless the load balancer's own listeners name its group:
 * a copied label alone never sends an ARN to AWS. At most `limit`.
 */
export function speculativeTargetGroups(
  candidates: TargetGroupBinding[],
  routes: L4Route[],
  target: AwsTarget | undefined,
  limit: number,
): TrustedArn[] {
  const arns = new Map<string, TrustedArn>();
  for (const backend of routes.flatMap(backendsOf)) {
    const serving = candidates.filter(b => bindingServes(b, backend));
    if (serving.length !== 1) continue;
    const arn = trustArn(
      serving[0].spec?.targetGroupARN,
      'targetgroup',
      target,
    );
    if (arn) arns.set(arn.arn, arn);
  }
  return [...arns.values()].slice(0, limit);
}

/**
 * Bindings labelled for the Gateway whose target group is one of its load
 * balancer's: a label can be copied by anyone who can create a binding, the
 * load balancer's own target groups cannot. Unknown target groups (AWS not
 * read) make every binding unverifiable, so none is used.
 */
export function ownedBindings(
  candidates: TargetGroupBinding[],
  targetGroupArns: Set<string> | undefined,
  cluster: string,
  limit: number,
): { bindings: TargetGroupBinding[]; errors: StatusError[] } {
  if (!targetGroupArns) return { bindings: [], errors: [] };
  const owned = candidates.filter(b =>
    targetGroupArns.has(String(b.spec?.targetGroupARN ?? '')),
  );
  const ignored = candidates.length - owned.length;
  const errors: StatusError[] =
    ignored > 0
      ? [
          {
            part: 'kubernetes',
            kind: 'error',
            cluster,
            message: `${count(ignored, 'TargetGroupBinding', [
              'labelled for this Gateway does',
              'labelled for this Gateway do',
            ])} not bind one of its load balancer's target groups and ${
              ignored === 1 ? 'was' : 'were'
            } ignored`,
          },
        ]
      : [];
  return { bindings: owned.slice(0, limit), errors };
}

/**
 * The NLB ARN the controller wrote into the Programmed condition, if it is
 * trusted; an ARN that is not is ignored, with an error that says so.
 */
export function statusArnOf(
  gateway: Gateway,
  target: AwsTarget | undefined,
  cluster: string,
): { arn?: TrustedArn; errors: StatusError[] } {
  const programmed = findCondition(gateway.status?.conditions, 'Programmed');
  const text = loadBalancerArnOf(programmed?.message);
  const arn = trustArn(text, 'loadbalancer', target);
  if (!text || arn) return { arn, errors: [] };
  return {
    errors: [
      {
        part: 'kubernetes',
        kind: 'error',
        cluster,
        message: target
          ? "The load balancer ARN in the Gateway's Programmed condition is not an Elastic Load Balancing ARN in this cluster's AWS account and region (awsGateway.status.clusters); it was ignored"
          : 'No AWS region is known for this cluster, so the ARN in its Gateway status is not used; set awsGateway.status.clusters[].region',
      },
    ],
  };
}

/**
 * Where the Gateway's TargetGroupBindings may be: the controller puts one in
 * its Service's namespace, the Gateway's or a route backend's. Bindings are
 * never looked for anywhere else; at most `limit` namespaces.
 */
export function bindingNamespaces(
  gateway: Gateway,
  routes: L4Route[],
  cluster: string,
  limit: number,
): { namespaces: string[]; errors: StatusError[] } {
  const all = [
    ...new Set([
      gateway.metadata.namespace ?? '',
      ...routes.flatMap(r => backendsOf(r).map(b => b.namespace)),
    ]),
  ].filter(Boolean);
  const errors: StatusError[] =
    all.length > limit
      ? [
          {
            part: 'kubernetes',
            kind: 'error',
            cluster,
            message: `The routes of this Gateway have backends in ${all.length} namespaces; only ${limit} are read (awsGateway.status.maxTargetGroupsPerGateway)`,
          },
        ]
      : [];
  return { namespaces: all.slice(0, limit), errors };
}
