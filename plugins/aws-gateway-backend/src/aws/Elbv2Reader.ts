import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
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
import DataLoader from 'dataloader';
import { ConcurrencyLimits } from '../concurrencyLimit';
import { batchLoader, memoLoader } from '../requestMemo';
import { targetKey, TrustedArn } from './trustedArn';

/** The factory method the reader needs; tests pass a fake.
 *
 * @public
 */
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

/** An answer's items keyed by their ARN (items without one are dropped). */
function byArn<T>(
  items: T[] | undefined,
  arnOf: (item: T) => string | undefined,
): Array<readonly [string, T]> {
  return (items ?? []).flatMap(item => {
    const arn = arnOf(item);
    return arn ? [[arn, item] as const] : [];
  });
}

/** Where an ARN's calls go and the ARN: the memo key of a single-ARN read. */
function locatedArnKey(arn: TrustedArn): string {
  return `${targetKey(arn.target)}|${arn.arn}`;
}

/**
 * The ELBv2 reads of one request, on per-request DataLoaders. Identical reads
 * happen once; load balancer, tag and target group lookups by ARN asked for in
 * the same round (across all Gateways of the request) are sent as one call of
 * up to 20 ARNs per account and region. Only trusted ARNs (checked against the cluster's
 * configured location) are ever sent, to the configured location. Never
 * shared between requests.
 */
export class Elbv2Reader {
  /** Per AWS location (batched calls go to one place). */
  private readonly loadBalancerLoaders = new Map<
    string,
    DataLoader<TrustedArn, LoadBalancer | undefined, string>
  >();
  private readonly tagLoaders = new Map<
    string,
    DataLoader<TrustedArn, Tag[] | undefined, string>
  >();
  private readonly targetGroupLoaders = new Map<
    string,
    DataLoader<TrustedArn, TargetGroup | undefined, string>
  >();
  private readonly inventories = memoLoader(
    (target: AwsTarget) => this.readInventory(target),
    targetKey,
  );
  private readonly listenerLists = memoLoader(
    (loadBalancer: TrustedArn) => this.readListeners(loadBalancer),
    locatedArnKey,
  );
  private readonly targetGroupLists = memoLoader(
    (loadBalancer: TrustedArn) => this.readTargetGroups(loadBalancer),
    locatedArnKey,
  );
  private readonly targetHealthLists = memoLoader(
    (targetGroup: TrustedArn) => this.readTargetHealth(targetGroup),
    locatedArnKey,
  );

  constructor(
    private readonly clients: Elbv2ClientSource,
    private readonly options: Elbv2ReaderOptions = {},
  ) {}

  /** The loader of one AWS location, made on first use. */
  private loaderFor<V>(
    loaders: Map<string, DataLoader<TrustedArn, V | undefined, string>>,
    target: AwsTarget,
    loadBatch: (
      target: AwsTarget,
      arns: string[],
    ) => Promise<ReadonlyMap<string, V>>,
  ): DataLoader<TrustedArn, V | undefined, string> {
    const key = targetKey(target);
    let loader = loaders.get(key);
    if (!loader) {
      loader = batchLoader(
        keys =>
          loadBatch(
            target,
            keys.map(k => k.arn),
          ),
        arn => arn.arn,
        MAX_ARNS,
      );
      loaders.set(key, loader);
    }
    return loader;
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
   * One call for the whole batch of ARNs (of one location); when ELBv2
   * refuses it because one ARN no longer exists, each ARN is asked alone so
   * the others still resolve (a stale ARN in one Gateway's status or binding
   * must not blank the other Gateways').
   */
  private async describeEach<V>(
    target: AwsTarget,
    arns: string[],
    describe: (
      client: ElasticLoadBalancingV2Client,
      batch: string[],
      options: CallOptions,
    ) => Promise<Array<readonly [string, V]>>,
  ): Promise<Map<string, V>> {
    const ask = (batch: string[]) =>
      this.call(target, (client, options) => describe(client, batch, options));
    try {
      return new Map(await ask(arns));
    } catch (e) {
      if (!isNotFound(e)) throw e;
      if (arns.length === 1) return new Map();
      const results = new Map<string, V>();
      await Promise.all(
        arns.map(async arn => {
          try {
            for (const [k, v] of await ask([arn])) results.set(k, v);
          } catch (inner) {
            if (!isNotFound(inner)) throw inner;
          }
        }),
      );
      return results;
    }
  }

  /** DescribeLoadBalancers for up to 20 ARNs of one location. */
  private describeLoadBalancers(target: AwsTarget, arns: string[]) {
    return this.describeEach(target, arns, (client, batch, options) =>
      client
        .send(
          new DescribeLoadBalancersCommand({ LoadBalancerArns: batch }),
          options,
        )
        .then(out => byArn(out.LoadBalancers, lb => lb.LoadBalancerArn)),
    );
  }

  /** DescribeTags for up to 20 ARNs of one location. */
  private describeTags(target: AwsTarget, arns: string[]) {
    return this.describeEach(target, arns, (client, batch, options) =>
      client
        .send(new DescribeTagsCommand({ ResourceArns: batch }), options)
        .then(out =>
          byArn(out.TagDescriptions, d => d.ResourceArn).map(
            ([arn, d]) => [arn, d.Tags ?? []] as const,
          ),
        ),
    );
  }

  /** DescribeTargetGroups by ARN, up to 20 of one location (fewer than a page holds). */
  private describeTargetGroups(target: AwsTarget, arns: string[]) {
    return this.describeEach(target, arns, (client, batch, options) =>
      client
        .send(
          new DescribeTargetGroupsCommand({ TargetGroupArns: batch }),
          options,
        )
        .then(out => byArn(out.TargetGroups, tg => tg.TargetGroupArn)),
    );
  }

  /** Undefined when ELBv2 has no such load balancer. */
  loadBalancer(arn: TrustedArn): Promise<LoadBalancer | undefined> {
    return this.loaderFor(this.loadBalancerLoaders, arn.target, (t, arns) =>
      this.describeLoadBalancers(t, arns),
    ).load(arn);
  }

  /** The tags of a load balancer; lookups of one round are sent together (20 ARNs at most). */
  async tags(arn: TrustedArn): Promise<Tag[]> {
    const tags = await this.loaderFor(this.tagLoaders, arn.target, (t, arns) =>
      this.describeTags(t, arns),
    ).load(arn);
    return tags ?? [];
  }

  /** DescribeLoadBalancers pages, then DescribeTags in batches of 20 ARNs. */
  inventory(target: AwsTarget): Promise<LoadBalancerInventory> {
    return this.inventories.load(target);
  }

  private async readInventory(
    target: AwsTarget,
  ): Promise<LoadBalancerInventory> {
    const pages = await this.pages(target, (client, options) =>
      paginateDescribeLoadBalancers({ client }, { PageSize: 400 }, options),
    );
    const loadBalancers = pages.flatMap(page => page.LoadBalancers ?? []);
    const arns = loadBalancers.map(lb => lb.LoadBalancerArn!).filter(Boolean);
    const batches: string[][] = [];
    for (let i = 0; i < arns.length; i += MAX_ARNS)
      batches.push(arns.slice(i, i + MAX_ARNS));
    const tags = new Map<string, Tag[]>();
    for (const found of await Promise.all(
      batches.map(batch => this.describeTags(target, batch)),
    )) {
      for (const [arn, list] of found) tags.set(arn, list);
    }
    return { loadBalancers, tags };
  }

  /**
   * One target group by ARN, with the load balancers ELBv2 says send it
   * traffic (LoadBalancerArns); undefined when it does not exist. Lookups of
   * one round are sent together (20 ARNs at most).
   */
  targetGroup(arn: TrustedArn): Promise<TargetGroup | undefined> {
    return this.loaderFor(this.targetGroupLoaders, arn.target, (t, arns) =>
      this.describeTargetGroups(t, arns),
    ).load(arn);
  }

  listeners(loadBalancer: TrustedArn): Promise<Listener[]> {
    return this.listenerLists.load(loadBalancer);
  }

  private async readListeners(loadBalancer: TrustedArn): Promise<Listener[]> {
    const pages = await this.pages(loadBalancer.target, (client, options) =>
      paginateDescribeListeners(
        { client },
        { LoadBalancerArn: loadBalancer.arn },
        options,
      ),
    );
    return pages.flatMap(page => page.Listeners ?? []);
  }

  /** Target groups whose traffic comes from this load balancer, as ELBv2 reports them. */
  targetGroupsOfLoadBalancer(loadBalancer: TrustedArn): Promise<TargetGroup[]> {
    return this.targetGroupLists.load(loadBalancer);
  }

  private async readTargetGroups(
    loadBalancer: TrustedArn,
  ): Promise<TargetGroup[]> {
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
  }

  /** DescribeTargetHealth takes one target group per call: memoised, never batched. */
  targetHealth(targetGroup: TrustedArn): Promise<TargetHealthDescription[]> {
    return this.targetHealthLists.load(targetGroup);
  }

  private async readTargetHealth(
    targetGroup: TrustedArn,
  ): Promise<TargetHealthDescription[]> {
    const out = await this.call(targetGroup.target, (client, options) =>
      client.send(
        new DescribeTargetHealthCommand({
          TargetGroupArn: targetGroup.arn,
        }),
        options,
      ),
    );
    return out.TargetHealthDescriptions ?? [];
  }
}
