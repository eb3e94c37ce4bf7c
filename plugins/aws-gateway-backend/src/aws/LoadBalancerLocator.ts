import { LoadBalancer, Tag } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  LoadBalancerSummary,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AwsTarget,
  elbv2ConsoleUrl,
  parseArn,
} from '@gateway-portal/plugin-aws-gateway-node';
import { Elbv2Reader } from './Elbv2Reader';
import { trustArn, TrustedArn } from './trustedArn';

/** Tags the AWS Load Balancer Controller puts on what it creates. */
export const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
export const STACK_TAG = 'gateway.k8s.aws.nlb/stack';
export const RESOURCE_TAG = 'gateway.k8s.aws.nlb/resource';

/** What the locator knows about one Gateway. */
export interface LocateRequest {
  namespace: string;
  name: string;
  /** The controller's cluster name (its --cluster-name), for the tag filter. */
  controllerClusterName: string;
  /** The NLB ARN of the Programmed condition, once trusted. */
  statusArn?: TrustedArn;
  /** Gateway `status.addresses[0].value`. */
  dnsName?: string;
  /** The cluster's configured AWS location: where to search. */
  target?: AwsTarget;
}

export interface LocateResult {
  loadBalancer?: LoadBalancerSummary;
  /** The load balancer's ARN as ELBv2 answered it, trusted for further calls. */
  arn?: TrustedArn;
  /** AWS failures, to be turned into StatusErrors by the caller (it logs them). */
  failure?: { action: string; error: unknown };
  errors: StatusError[];
}

/** A summary of a load balancer whose ARN is trusted (its console link is built from validated parts). */
export function toLoadBalancerSummary(
  lb: LoadBalancer,
  trusted: TrustedArn,
  foundBy: LoadBalancerSummary['foundBy'],
): LoadBalancerSummary {
  const arn = trusted.arn;
  const parsed = parseArn(arn);
  return {
    arn,
    name: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    scheme: lb.Scheme ?? 'internal',
    state: lb.State?.Code ?? 'unknown',
    ...(lb.State?.Reason ? { stateReason: lb.State.Reason } : {}),
    type: lb.Type ?? 'network',
    ...(lb.IpAddressType ? { ipAddressType: lb.IpAddressType } : {}),
    accountId: parsed?.accountId ?? '',
    region: parsed?.region ?? '',
    // A trusted ARN always has a console (its partition is its region's).
    consoleUrl: elbv2ConsoleUrl(arn, 'loadBalancer')!,
    foundBy,
  };
}

/**
 * Whether the controller's tags say a load balancer is another Gateway's (or
 * another cluster's). A Gateway's status can be written by whoever may
 * update it, so an ARN or DNS name in it is not proof of ownership; a load
 * balancer without the controller's tags is not the controller's and is
 * believed, as before.
 */
export function belongsElsewhere(
  tags: Tag[],
  request: Pick<LocateRequest, 'namespace' | 'name' | 'controllerClusterName'>,
): boolean {
  const byKey = new Map(tags.map(t => [t.Key, t.Value]));
  const stack = byKey.get(STACK_TAG);
  const cluster = byKey.get(CLUSTER_TAG);
  return (
    (stack !== undefined && stack !== `${request.namespace}/${request.name}`) ||
    (cluster !== undefined && cluster !== request.controllerClusterName)
  );
}

function notThisGateway(request: LocateRequest): StatusError {
  return {
    part: 'aws',
    kind: 'error',
    message: `The load balancer named in the status of Gateway ${request.namespace}/${request.name} is tagged by the controller for another Gateway or cluster; it is not shown`,
  };
}

/** What the controller writes into the Programmed condition when it names the NLB: an ARN, still to be checked. */
export function loadBalancerArnOf(
  message: string | undefined,
): string | undefined {
  const candidate = message?.trim();
  return candidate?.startsWith('arn:') ? candidate : undefined;
}

/** A call's value, or its failure labelled with the ELBv2 operation it made. */
function settled<T>(
  action: string,
  call: Promise<T>,
): Promise<{ value: T } | { failure: { action: string; error: unknown } }> {
  return call.then(
    value => ({ value }),
    error => ({ failure: { action, error } }),
  );
}

/**
 * Finds the NLB of a Gateway: the ARN the controller wrote into the Programmed
 * condition; else the controller's tags (cluster + stack + resource=LoadBalancer);
 * else the DNS name in the Gateway status, compared case-insensitively. Names
 * are never parsed.
 */
export class LoadBalancerLocator {
  constructor(private readonly reader: Elbv2Reader) {}

  async locate(request: LocateRequest): Promise<LocateResult> {
    const arn = request.statusArn;
    if (arn) {
      // Each call's failure under its own operation: a refusal names what to grant.
      const [lb, tags] = await Promise.all([
        settled('DescribeLoadBalancers', this.reader.loadBalancer(arn)),
        settled('DescribeTags', this.reader.tags(arn)),
      ]);
      const failure =
        ('failure' in lb && lb.failure) || ('failure' in tags && tags.failure);
      if (failure) return { failure, errors: [] };
      if ('value' in lb && lb.value) {
        if ('value' in tags && belongsElsewhere(tags.value, request)) {
          return { errors: [notThisGateway(request)] };
        }
        return this.found(lb.value, request.target, 'status-arn');
      }
    }

    const target = request.target;
    if (!target) {
      return {
        errors: request.dnsName
          ? [
              {
                part: 'aws',
                kind: 'not-configured',
                message:
                  'No AWS region is known for this cluster, so its load balancer cannot be looked up; ' +
                  'set awsGateway.status.clusters[].region',
              },
            ]
          : [],
      };
    }

    let inventory;
    try {
      inventory = await this.reader.inventory(target);
    } catch (error) {
      return {
        failure: { action: 'DescribeLoadBalancers/DescribeTags', error },
        errors: [],
      };
    }

    const stack = `${request.namespace}/${request.name}`;
    const byTags = inventory.loadBalancers.find(lb => {
      const tags = new Map(
        (inventory.tags.get(lb.LoadBalancerArn!) ?? []).map(t => [
          t.Key,
          t.Value,
        ]),
      );
      return (
        tags.get(CLUSTER_TAG) === request.controllerClusterName &&
        tags.get(STACK_TAG) === stack &&
        tags.get(RESOURCE_TAG) === 'LoadBalancer'
      );
    });
    if (byTags) return this.found(byTags, target, 'tags');

    const dns = request.dnsName?.toLowerCase();
    const byDns = dns
      ? inventory.loadBalancers.find(lb => lb.DNSName?.toLowerCase() === dns)
      : undefined;
    if (
      byDns &&
      belongsElsewhere(
        inventory.tags.get(byDns.LoadBalancerArn!) ?? [],
        request,
      )
    ) {
      return { errors: [notThisGateway(request)] };
    }
    if (byDns) return this.found(byDns, target, 'dns-name');

    return {
      errors:
        arn || dns
          ? [
              {
                part: 'aws',
                kind: 'not-found',
                message: arn
                  ? `The load balancer named in the Gateway status (${arn.arn}) does not exist, and none carries the controller's tags for ${stack}`
                  : `No load balancer has the Gateway's DNS name or the controller's tags for ${stack}`,
              },
            ]
          : [],
    };
  }

  /** ELBv2's answer is checked like any other ARN before it is used again. */
  private found(
    lb: LoadBalancer,
    target: AwsTarget | undefined,
    foundBy: LoadBalancerSummary['foundBy'],
  ): LocateResult {
    const trusted = trustArn(lb.LoadBalancerArn, 'loadbalancer', target);
    if (!trusted) {
      return {
        errors: [
          {
            part: 'aws',
            kind: 'error',
            message:
              "ELBv2 answered with a load balancer ARN outside this cluster's configured AWS account and region; it was ignored",
          },
        ],
      };
    }
    return {
      loadBalancer: toLoadBalancerSummary(lb, trusted, foundBy),
      arn: trusted,
      errors: [],
    };
  }
}
