/**
 * What the status backend believes of what it reads about a Gateway: which
 * Gateways it reports as not linked (and how little it says of them), which
 * of the load balancer's target groups it reads, which TargetGroupBindings it
 * uses. Pure: every function returns what it keeps and the errors to show.
 */
import { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { AwsTarget } from '@gateway-portal/plugin-aws-gateway-node';
import { loadBalancerArnOf } from '../aws/LoadBalancerLocator';
import { trustArn, TrustedArn } from '../aws/trustedArn';
import { backendsOf, findCondition } from '../kubernetes/topology';
import { Gateway, L4Route, TargetGroupBinding } from '../kubernetes/types';
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
  if (untrusted > 0) {
    errors.push({
      part: 'aws',
      kind: 'error',
      message: `${count(untrusted, 'target group', [
        'has',
        'have',
      ])} an ARN outside this cluster's configured AWS account and region and ${
        untrusted === 1 ? 'was' : 'were'
      } ignored`,
    });
  }
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
