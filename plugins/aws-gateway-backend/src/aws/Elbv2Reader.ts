import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  Listener,
  LoadBalancer,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  Tag,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  AwsClientFactory,
  AwsTarget,
  classifyAwsError,
  isAwsError,
} from '@gateway-portal/plugin-aws-gateway-node';
import { ConcurrencyLimits } from '../concurrencyLimit';
import { RequestMemo } from '../requestMemo';
import { Batcher } from './Batcher';
import { targetKey, TrustedArn } from './trustedArn';

/** The factory method the reader needs; tests pass a fake. */
export type Elbv2ClientSource = Pick<AwsClientFactory, 'elbv2'>;

/** The IAM action of an ELBv2 operation, as the status reader's policy (docs/install) grants it. */
export function elbv2IamAction(operation: string): string {
  return `elasticloadbalancing:${operation}`;
}

const MAX_ARNS = 20;
const DEFAULT_CALL_TIMEOUT_MS = 10_000;

function isNotFound(error: unknown): boolean {
  return classifyAwsError(error) === 'not-found';
}

/** Every load balancer of an account+region, with its tags. */
export interface LoadBalancerInventory {
  loadBalancers: LoadBalancer[];
  tags: Map<string, Tag[]>;
}

export interface Elbv2ReaderOptions {
  /** The request's signal: every call ends when it fires. */
  signal?: AbortSignal;
  /** Deadline of each call, retries included. */
  callTimeoutMs?: number;
  /** Shared by requests: calls in flight per account and region. */
  limits?: ConcurrencyLimits;
}

type CallOptions = { abortSignal: AbortSignal };

/**
 * The ELBv2 reads of one request. Identical reads happen once; load balancer
 * lookups asked for in the same turn (across all Gateways of the request) are
 * sent as one call of up to 20 ARNs. Only trusted ARNs (checked against the
 * cluster's configured location) are ever sent, to the configured location.
 * Never shared between requests.
 */
export class Elbv2Reader {
  private readonly memo = new RequestMemo();
  private readonly loadBalancers: Batcher<LoadBalancer>;
  private readonly tagLists: Batcher<Tag[]>;
  private readonly targets = new Map<string, AwsTarget>();

  constructor(
    private readonly clients: Elbv2ClientSource,
    private readonly options: Elbv2ReaderOptions = {},
  ) {
    this.loadBalancers = new Batcher((group, arns) =>
      this.describeByArns(group, arns),
    );
    this.tagLists = new Batcher(async (group, arns) => {
      const out = await this.call(this.targets.get(group)!, (client, call) =>
        client.send(new DescribeTagsCommand({ ResourceArns: arns }), call),
      );
      return new Map(
        (out.TagDescriptions ?? []).map(d => [d.ResourceArn!, d.Tags ?? []]),
      );
    });
  }

  /** A call's own deadline, and the request's signal. */
  private callSignal(): AbortSignal {
    const signals = [
      AbortSignal.timeout(
        this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      ),
    ];
    if (this.options.signal) signals.push(this.options.signal);
    return AbortSignal.any(signals);
  }

  /** Runs within the location's concurrency limit. */
  private limited<T>(
    target: AwsTarget,
    signal: AbortSignal,
    run: () => Promise<T>,
  ): Promise<T> {
    const limit = this.options.limits?.for(targetKey(target));
    return limit ? limit.run(run, signal) : run();
  }

  /** Runs one call with its deadline, the request's signal and the location's concurrency limit. */
  private async call<T>(
    target: AwsTarget,
    send: (
      client: ElasticLoadBalancingV2Client,
      options: CallOptions,
    ) => Promise<T>,
  ): Promise<T> {
    const abortSignal = this.callSignal();
    const client = await this.clients.elbv2(target);
    return this.limited(target, abortSignal, () =>
      send(client, { abortSignal }),
    );
  }

  /**
   * Every page of an SDK paginator. Each page is a call of its own, like
   * `call`: a fresh deadline and a place in the concurrency limit. The
   * paginator hands the same options object to every page's send, so the
   * page's signal is set on it before the page is asked for.
   */
  private async pages<T>(
    target: AwsTarget,
    paginate: (
      client: ElasticLoadBalancingV2Client,
      options: CallOptions,
    ) => AsyncGenerator<T, unknown, unknown>,
  ): Promise<T[]> {
    const client = await this.clients.elbv2(target);
    const options = {} as CallOptions;
    const pages = paginate(client, options);
    const out: T[] = [];
    for (;;) {
      options.abortSignal = this.callSignal();
      const page = await this.limited(target, options.abortSignal, () =>
        pages.next(),
      );
      if (page.done) return out;
      out.push(page.value);
    }
  }

  /**
   * One call for the whole batch; when ELBv2 refuses it because one ARN no
   * longer exists, each ARN is asked alone so the others still resolve.
   */
  private async describeByArns(
    group: string,
    arns: string[],
  ): Promise<Map<string, LoadBalancer>> {
    const target = this.targets.get(group)!;
    const describe = async (batch: string[]) => {
      const out = await this.call(target, (client, options) =>
        client.send(
          new DescribeLoadBalancersCommand({ LoadBalancerArns: batch }),
          options,
        ),
      );
      return (out.LoadBalancers ?? []).map(
        lb => [lb.LoadBalancerArn!, lb] as const,
      );
    };
    try {
      return new Map(await describe(arns));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      if (arns.length === 1) return new Map();
      const results = new Map<string, LoadBalancer>();
      await Promise.all(
        arns.map(async arn => {
          try {
            for (const [k, v] of await describe([arn])) results.set(k, v);
          } catch (inner) {
            if (!isNotFound(inner)) throw inner;
          }
        }),
      );
      return results;
    }
  }

  /** Undefined when ELBv2 has no such load balancer. */
  loadBalancer(arn: TrustedArn): Promise<LoadBalancer | undefined> {
    const group = targetKey(arn.target);
    this.targets.set(group, arn.target);
    return this.loadBalancers.load(group, arn.arn);
  }

  /** The tags of a load balancer; lookups of one turn are sent together (20 ARNs at most). */
  tags(arn: TrustedArn): Promise<Tag[]> {
    const group = targetKey(arn.target);
    this.targets.set(group, arn.target);
    return this.tagLists.load(group, arn.arn).then(tags => tags ?? []);
  }

  /** DescribeLoadBalancers pages, then DescribeTags in batches of 20 ARNs. */
  inventory(target: AwsTarget): Promise<LoadBalancerInventory> {
    return this.memo.once(`inventory|${targetKey(target)}`, async () => {
      const pages = await this.pages(target, (client, options) =>
        paginateDescribeLoadBalancers({ client }, { PageSize: 400 }, options),
      );
      const loadBalancers = pages.flatMap(page => page.LoadBalancers ?? []);
      const arns = loadBalancers.map(lb => lb.LoadBalancerArn!).filter(Boolean);
      const batches: string[][] = [];
      for (let i = 0; i < arns.length; i += MAX_ARNS)
        batches.push(arns.slice(i, i + MAX_ARNS));
      const tags = new Map<string, Tag[]>();
      await Promise.all(
        batches.map(async batch => {
          const out = await this.call(target, (client, options) =>
            client.send(
              new DescribeTagsCommand({ ResourceArns: batch }),
              options,
            ),
          );
          for (const d of out.TagDescriptions ?? []) {
            if (d.ResourceArn) tags.set(d.ResourceArn, d.Tags ?? []);
          }
        }),
      );
      return { loadBalancers, tags };
    });
  }

  listeners(loadBalancer: TrustedArn): Promise<Listener[]> {
    return this.memo.once(`listeners|${loadBalancer.arn}`, async () => {
      const pages = await this.pages(loadBalancer.target, (client, options) =>
        paginateDescribeListeners(
          { client },
          { LoadBalancerArn: loadBalancer.arn },
          options,
        ),
      );
      return pages.flatMap(page => page.Listeners ?? []);
    });
  }

  /** Target groups whose traffic comes from this load balancer, as ELBv2 reports them. */
  targetGroupsOfLoadBalancer(loadBalancer: TrustedArn): Promise<TargetGroup[]> {
    return this.memo.once(`tgs-of|${loadBalancer.arn}`, async () => {
      try {
        const pages = await this.pages(loadBalancer.target, (client, options) =>
          paginateDescribeTargetGroups(
            { client },
            { LoadBalancerArn: loadBalancer.arn },
            options,
          ),
        );
        return pages.flatMap(page => page.TargetGroups ?? []);
      } catch (e) {
        // A load balancer with no target group yet (no route attached, or
        // still provisioning) is answered with TargetGroupNotFound by some
        // implementations; that is an empty list, not an error.
        if (isAwsError(e, 'TargetGroupNotFound')) return [];
        throw e;
      }
    });
  }

  targetHealth(targetGroup: TrustedArn): Promise<TargetHealthDescription[]> {
    return this.memo.once(`health|${targetGroup.arn}`, async () => {
      const out = await this.call(targetGroup.target, (client, options) =>
        client.send(
          new DescribeTargetHealthCommand({
            TargetGroupArn: targetGroup.arn,
          }),
          options,
        ),
      );
      return out.TargetHealthDescriptions ?? [];
    });
  }
}
