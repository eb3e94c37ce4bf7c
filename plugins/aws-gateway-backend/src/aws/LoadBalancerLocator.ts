import { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  LoadBalancerSummary,
  StatusError,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AwsTarget,
  elbv2ConsoleUrl,
  parseArn,
} from '@gateway-portal/plugin-aws-gateway-node';
import { toStatusError } from '../errors';
import { Elbv2Reader, targetOfArn } from './Elbv2Reader';

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
  /** Message of the Programmed condition: the NLB ARN once it is active. */
  statusArn?: string;
  /** Gateway `status.addresses[0].value`. */
  dnsName?: string;
  /** Where to search when the status has no ARN. */
  target?: AwsTarget;
}

export interface LocateResult {
  loadBalancer?: LoadBalancerSummary;
  errors: StatusError[];
}

export function toLoadBalancerSummary(
  lb: LoadBalancer,
  foundBy: LoadBalancerSummary['foundBy'],
): LoadBalancerSummary {
  const arn = lb.LoadBalancerArn!;
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
    consoleUrl: elbv2ConsoleUrl(arn, 'loadBalancer'),
    foundBy,
  };
}

/** The ARN in a Programmed condition message, if it is one. */
export function loadBalancerArnOf(
  message: string | undefined,
): string | undefined {
  const candidate = message?.trim();
  if (!candidate || !targetOfArn(candidate)) return undefined;
  return parseArn(candidate)!.resource.startsWith('loadbalancer/')
    ? candidate
    : undefined;
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
      try {
        const lb = await this.reader.loadBalancer(arn);
        if (lb)
          return {
            loadBalancer: toLoadBalancerSummary(lb, 'status-arn'),
            errors: [],
          };
      } catch (e) {
        return {
          errors: [
            toStatusError('aws', e, { action: 'DescribeLoadBalancers' }),
          ],
        };
      }
    }

    const target = (arn && targetOfArn(arn)) || request.target;
    if (!target) {
      return {
        errors: request.dnsName
          ? [
              {
                part: 'aws',
                kind: 'not-configured',
                message:
                  'No AWS region is known for this cluster, so its load balancer cannot be looked up by tags or DNS name; ' +
                  'set awsGateway.status.clusters[].region',
              },
            ]
          : [],
      };
    }

    let inventory;
    try {
      inventory = await this.reader.inventory(target);
    } catch (e) {
      return {
        errors: [
          toStatusError('aws', e, {
            action: 'DescribeLoadBalancers/DescribeTags',
          }),
        ],
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
    if (byTags)
      return {
        loadBalancer: toLoadBalancerSummary(byTags, 'tags'),
        errors: [],
      };

    const dns = request.dnsName?.toLowerCase();
    const byDns = dns
      ? inventory.loadBalancers.find(lb => lb.DNSName?.toLowerCase() === dns)
      : undefined;
    if (byDns)
      return {
        loadBalancer: toLoadBalancerSummary(byDns, 'dns-name'),
        errors: [],
      };

    return {
      errors:
        arn || dns
          ? [
              {
                part: 'aws',
                kind: 'not-found',
                message: arn
                  ? `The load balancer named in the Gateway status (${arn}) does not exist, and none carries the controller's tags for ${stack}`
                  : `No load balancer has the Gateway's DNS name ${request.dnsName} or the controller's tags for ${stack}`,
              },
            ]
          : [],
    };
  }
}
