import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  Listener,
  LoadBalancer,
  Tag,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AwsClientFactory,
  AwsTarget,
  parseArn,
} from '@gateway-portal/plugin-aws-gateway-node';
import { classifyAwsError } from '../errors';
import { RequestMemo } from '../requestMemo';
import { Batcher } from './Batcher';

/** The factory method the reader needs; tests pass a fake. */
export type Elbv2ClientSource = Pick<AwsClientFactory, 'elbv2'>;

const MAX_ARNS = 20;

export function targetOfArn(arn: string): AwsTarget | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'elasticloadbalancing' || !parsed.region) {
    return undefined;
  }
  return { accountId: parsed.accountId || undefined, region: parsed.region };
}

function requireTarget(arn: string): AwsTarget {
  const target = targetOfArn(arn);
  if (!target)
    throw new TypeError(`"${arn}" is not an Elastic Load Balancing ARN`);
  return target;
}

function groupKey(target: AwsTarget): string {
  return `${target.accountId ?? ''}|${target.region}`;
}

function targetOfGroup(group: string): AwsTarget {
  const [accountId, region] = group.split('|');
  return { accountId: accountId || undefined, region };
}

function isNotFound(error: unknown): boolean {
  return classifyAwsError(error) === 'not-found';
}

/** Every load balancer of an account+region, with its tags. */
export interface LoadBalancerInventory {
  loadBalancers: LoadBalancer[];
  tags: Map<string, Tag[]>;
}

/**
 * The ELBv2 reads of one request. Identical reads happen once; ARN lookups
 * asked for in the same turn (across all Gateways of the request) are sent as
 * one call of up to 20 ARNs. Never shared between requests.
 */
export class Elbv2Reader {
  private readonly memo = new RequestMemo();
  private readonly loadBalancers: Batcher<LoadBalancer>;
  private readonly targetGroups: Batcher<TargetGroup>;

  constructor(private readonly clients: Elbv2ClientSource) {
    this.loadBalancers = new Batcher((group, arns) =>
      this.describeByArns(group, arns, async (client, batch) => {
        const out = await client.send(
          new DescribeLoadBalancersCommand({ LoadBalancerArns: batch }),
        );
        return (out.LoadBalancers ?? []).map(
          lb => [lb.LoadBalancerArn!, lb] as const,
        );
      }),
    );
    this.targetGroups = new Batcher((group, arns) =>
      this.describeByArns(group, arns, async (client, batch) => {
        const out = await client.send(
          new DescribeTargetGroupsCommand({ TargetGroupArns: batch }),
        );
        return (out.TargetGroups ?? []).map(
          tg => [tg.TargetGroupArn!, tg] as const,
        );
      }),
    );
  }

  /**
   * One call for the whole batch; when ELBv2 refuses it because one ARN no
   * longer exists, each ARN is asked alone so the others still resolve.
   */
  private async describeByArns<V>(
    group: string,
    arns: string[],
    call: (
      client: Awaited<ReturnType<Elbv2ClientSource['elbv2']>>,
      batch: string[],
    ) => Promise<ReadonlyArray<readonly [string, V]>>,
  ): Promise<Map<string, V>> {
    const client = await this.clients.elbv2(targetOfGroup(group));
    try {
      return new Map(await call(client, arns));
    } catch (e) {
      if (!isNotFound(e) || arns.length === 1) {
        if (isNotFound(e)) return new Map();
        throw e;
      }
      const results = new Map<string, V>();
      await Promise.all(
        arns.map(async arn => {
          try {
            for (const [k, v] of await call(client, [arn])) results.set(k, v);
          } catch (inner) {
            if (!isNotFound(inner)) throw inner;
          }
        }),
      );
      return results;
    }
  }

  /** Undefined when ELBv2 has no such load balancer. */
  loadBalancer(arn: string): Promise<LoadBalancer | undefined> {
    const target = targetOfArn(arn);
    if (!target) return Promise.resolve(undefined);
    return this.loadBalancers.load(groupKey(target), arn);
  }

  /** Undefined when ELBv2 has no such target group. */
  targetGroup(arn: string): Promise<TargetGroup | undefined> {
    const target = targetOfArn(arn);
    if (!target) return Promise.resolve(undefined);
    return this.targetGroups.load(groupKey(target), arn);
  }

  /** DescribeLoadBalancers pages, then DescribeTags in batches of 20 ARNs. */
  inventory(target: AwsTarget): Promise<LoadBalancerInventory> {
    return this.memo.once(`inventory|${groupKey(target)}`, async () => {
      const client = await this.clients.elbv2(target);
      const loadBalancers: LoadBalancer[] = [];
      let marker: string | undefined;
      do {
        const page = await client.send(
          new DescribeLoadBalancersCommand({ Marker: marker, PageSize: 400 }),
        );
        loadBalancers.push(...(page.LoadBalancers ?? []));
        marker = page.NextMarker;
      } while (marker);
      const arns = loadBalancers.map(lb => lb.LoadBalancerArn!).filter(Boolean);
      const batches: string[][] = [];
      for (let i = 0; i < arns.length; i += MAX_ARNS)
        batches.push(arns.slice(i, i + MAX_ARNS));
      const tags = new Map<string, Tag[]>();
      await Promise.all(
        batches.map(async batch => {
          const out = await client.send(
            new DescribeTagsCommand({ ResourceArns: batch }),
          );
          for (const d of out.TagDescriptions ?? []) {
            if (d.ResourceArn) tags.set(d.ResourceArn, d.Tags ?? []);
          }
        }),
      );
      return { loadBalancers, tags };
    });
  }

  listeners(loadBalancerArn: string): Promise<Listener[]> {
    return this.memo.once(`listeners|${loadBalancerArn}`, async () => {
      const client = await this.clients.elbv2(requireTarget(loadBalancerArn));
      const listeners: Listener[] = [];
      let marker: string | undefined;
      do {
        const page = await client.send(
          new DescribeListenersCommand({
            LoadBalancerArn: loadBalancerArn,
            Marker: marker,
          }),
        );
        listeners.push(...(page.Listeners ?? []));
        marker = page.NextMarker;
      } while (marker);
      return listeners;
    });
  }

  /** Target groups whose traffic comes from this load balancer. */
  targetGroupsOfLoadBalancer(loadBalancerArn: string): Promise<TargetGroup[]> {
    return this.memo.once(`tgs-of|${loadBalancerArn}`, async () => {
      const client = await this.clients.elbv2(requireTarget(loadBalancerArn));
      const groups: TargetGroup[] = [];
      let marker: string | undefined;
      do {
        let page;
        try {
          page = await client.send(
            new DescribeTargetGroupsCommand({
              LoadBalancerArn: loadBalancerArn,
              Marker: marker,
            }),
          );
        } catch (e) {
          // A load balancer with no target group yet (no route attached, or
          // still provisioning) is answered with TargetGroupNotFound by some
          // implementations; that is an empty list, not an error.
          if ((e as { name?: string }).name === 'TargetGroupNotFoundException') {
            return groups;
          }
          throw e;
        }
        groups.push(...(page.TargetGroups ?? []));
        marker = page.NextMarker;
      } while (marker);
      return groups;
    });
  }

  targetHealth(targetGroupArn: string): Promise<TargetHealthDescription[]> {
    return this.memo.once(`health|${targetGroupArn}`, async () => {
      const client = await this.clients.elbv2(requireTarget(targetGroupArn));
      const out = await client.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
      );
      return out.TargetHealthDescriptions ?? [];
    });
  }
}
