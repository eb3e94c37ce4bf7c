/**
 * In-process fakes of a Kubernetes API server and of ELBv2, with call
 * counters and failure injection, for unit tests.
 */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KubernetesApiError } from '@gateway-portal/plugin-aws-gateway-node';
import {
  KubernetesConnection,
  KubernetesObjectClient,
  ListOptions,
  ResourceVersion,
} from '../kubernetes/KubernetesObjectClient';
import { KubeObject } from '../kubernetes/types';

function gvr(r: ResourceVersion): string {
  return `${r.group}/${r.version}/${r.plural}`;
}

function matchesSelector(
  labels: Record<string, string> = {},
  selector?: string,
): boolean {
  if (!selector) return true;
  return selector.split(',').every(term => {
    const [k, v] = term.split('=');
    return v === undefined ? k in labels : labels[k] === v;
  });
}

/** One fake cluster: objects per group/version/plural, the versions it serves. */
export class FakeCluster {
  readonly objects = new Map<string, KubeObject[]>();
  readonly served = new Set<string>();
  calls: string[] = [];
  failure?: Error;

  constructor(served: string[]) {
    served.forEach(s => this.served.add(s));
  }

  add(resource: string, ...objects: KubeObject[]): this {
    this.served.add(resource);
    this.objects.set(resource, [
      ...(this.objects.get(resource) ?? []),
      ...objects,
    ]);
    return this;
  }

  connection(): KubernetesConnection {
    const check = (r: ResourceVersion) => {
      this.calls.push(gvr(r));
      if (this.failure) throw this.failure;
      if (!this.served.has(gvr(r))) {
        throw new KubernetesApiError(
          `the server could not find the requested resource`,
          404,
        );
      }
    };
    return {
      list: async (r: ResourceVersion, options: ListOptions = {}) => {
        check(r);
        return (this.objects.get(gvr(r)) ?? [])
          .filter(
            o =>
              !options.namespace || o.metadata.namespace === options.namespace,
          )
          .filter(o =>
            matchesSelector(o.metadata.labels, options.labelSelector),
          )
          .map(o => structuredClone(o));
      },
      get: async (
        r: ResourceVersion,
        namespace: string | undefined,
        name: string,
      ) => {
        check(r);
        const found = (this.objects.get(gvr(r)) ?? []).find(
          o =>
            o.metadata.name === name &&
            (o.metadata.namespace ?? undefined) === namespace,
        );
        return found ? structuredClone(found) : undefined;
      },
    };
  }
}

/** Every resource of Gateway API v1.6 + LBC v3.5 (v1 routes). */
export const SERVED_V16 = [
  'gateway.networking.k8s.io/v1/gateways',
  'gateway.networking.k8s.io/v1/gatewayclasses',
  'gateway.networking.k8s.io/v1/tcproutes',
  'gateway.networking.k8s.io/v1/udproutes',
  'gateway.networking.k8s.io/v1/tlsroutes',
  'elbv2.k8s.aws/v1beta1/targetgroupbindings',
  'gateway.k8s.aws/v1/loadbalancerconfigurations',
  'gateway.k8s.aws/v1/targetgroupconfigurations',
  'discovery.k8s.io/v1/endpointslices',
  '/v1/services',
];

export class FakeKubernetes implements KubernetesObjectClient {
  readonly clusters = new Map<string, FakeCluster>();

  cluster(name: string, served: string[] = SERVED_V16): FakeCluster {
    let c = this.clusters.get(name);
    if (!c) {
      c = new FakeCluster(served);
      this.clusters.set(name, c);
    }
    return c;
  }

  get callCount(): number {
    return [...this.clusters.values()].reduce((n, c) => n + c.calls.length, 0);
  }

  /** The signal each connection was opened with. */
  readonly signals: Array<AbortSignal | undefined> = [];

  async connect(
    cluster: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<KubernetesConnection> {
    const c = this.clusters.get(cluster);
    if (!c) throw new Error(`no fake cluster ${cluster}`);
    this.signals.push(options.signal);
    return c.connection();
  }
}

export interface FakeLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  scheme?: string;
  state?: string;
  tags?: Record<string, string>;
  listeners?: Array<{
    arn: string;
    port: number;
    protocol: string;
    targetGroupArn: string;
  }>;
}

export interface FakeTargetGroup {
  arn: string;
  name: string;
  port: number;
  protocol: string;
  targetType: string;
  loadBalancerArns: string[];
  targets: Array<{
    id: string;
    port: number;
    state: string;
    reason?: string;
    availabilityZone?: string;
  }>;
}

function awsError(name: string, message: string, status = 400): Error {
  const e = new Error(message) as any;
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  return e;
}

/** ELBv2 in memory: answers the Describe* commands the status backend sends. */
export class FakeElbv2 {
  readonly loadBalancers: FakeLoadBalancer[] = [];
  readonly targetGroups: FakeTargetGroup[] = [];
  /** Each call, and how many calls had ended when it started (0 for all: one round trip). */
  readonly calls: Array<{
    command: string;
    input: any;
    completedBefore: number;
  }> = [];
  private completed = 0;
  /** Errors thrown by a command name. */
  readonly failures = new Map<string, Error>();
  delayMs = 0;
  /** Calls in flight now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;

  count(command?: string): number {
    return command
      ? this.calls.filter(c => c.command === command).length
      : this.calls.length;
  }

  static accessDenied(): Error {
    return awsError(
      'AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: elasticloadbalancing:DescribeTargetHealth',
      403,
    );
  }

  /**
   * What DefaultGatewayStatusService gets instead of an AwsClientFactory: a
   * real client (the SDK's paginators require one) whose send answers here.
   */
  readonly source = {
    elbv2: async () => this.client,
  };

  private readonly client = Object.assign(
    new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
    {
      send: (cmd: any, options?: { abortSignal?: AbortSignal }) =>
        this.send(cmd, options?.abortSignal),
    },
  ) as ElasticLoadBalancingV2Client;

  private async send(cmd: any, abortSignal?: AbortSignal): Promise<any> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.answer(cmd, abortSignal);
    } finally {
      this.inFlight--;
      this.completed++;
    }
  }

  private async answer(cmd: any, abortSignal?: AbortSignal): Promise<any> {
    const command = cmd.constructor.name.replace(/Command$/, '');
    const input = cmd.input;
    this.calls.push({ command, input, completedBefore: this.completed });
    if (this.delayMs) {
      // Like the SDK: a call whose abortSignal fires ends with an AbortError.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.delayMs);
        abortSignal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(
              Object.assign(new Error('Request aborted'), {
                name: 'AbortError',
              }),
            );
          },
          { once: true },
        );
      });
    }
    const failure = this.failures.get(command);
    if (failure) throw failure;
    switch (command) {
      case 'DescribeLoadBalancers': {
        if (input.LoadBalancerArns) {
          if (input.LoadBalancerArns.length > 20)
            throw awsError('ValidationError', 'too many ARNs');
          const found = input.LoadBalancerArns.map((a: string) =>
            this.loadBalancers.find(lb => lb.arn === a),
          );
          if (found.some((f: unknown) => !f)) {
            throw awsError(
              'LoadBalancerNotFoundException',
              'One or more load balancers not found',
            );
          }
          return { LoadBalancers: found.map(toLb) };
        }
        return { LoadBalancers: this.loadBalancers.map(toLb) };
      }
      case 'DescribeTags': {
        if (input.ResourceArns.length > 20)
          throw awsError('ValidationError', 'too many ARNs');
        return {
          TagDescriptions: input.ResourceArns.map((a: string) => ({
            ResourceArn: a,
            Tags: Object.entries(
              this.loadBalancers.find(lb => lb.arn === a)?.tags ?? {},
            ).map(([Key, Value]) => ({ Key, Value })),
          })),
        };
      }
      case 'DescribeListeners': {
        const lb = this.loadBalancers.find(
          l => l.arn === input.LoadBalancerArn,
        );
        if (!lb) throw awsError('LoadBalancerNotFoundException', 'not found');
        return {
          Listeners: (lb.listeners ?? []).map(l => ({
            ListenerArn: l.arn,
            LoadBalancerArn: lb.arn,
            Port: l.port,
            Protocol: l.protocol,
            DefaultActions: [
              {
                Type: 'forward',
                TargetGroupArn: l.targetGroupArn,
                ForwardConfig: {
                  TargetGroups: [
                    { TargetGroupArn: l.targetGroupArn, Weight: 1 },
                  ],
                },
              },
            ],
          })),
        };
      }
      case 'DescribeTargetGroups': {
        let groups = this.targetGroups;
        if (input.TargetGroupArns) {
          groups = input.TargetGroupArns.map((a: string) =>
            this.targetGroups.find(t => t.arn === a),
          );
          if (groups.some(g => !g))
            throw awsError('TargetGroupNotFoundException', 'not found');
        } else if (input.LoadBalancerArn) {
          groups = groups.filter(g =>
            g.loadBalancerArns.includes(input.LoadBalancerArn),
          );
          // moto answers a load balancer without target groups this way.
          if (!groups.length)
            throw awsError('TargetGroupNotFoundException', 'not found');
        }
        return {
          TargetGroups: groups.map(g => ({
            TargetGroupArn: g.arn,
            TargetGroupName: g.name,
            Port: g.port,
            Protocol: g.protocol,
            TargetType: g.targetType,
            LoadBalancerArns: g.loadBalancerArns,
          })),
        };
      }
      case 'DescribeTargetHealth': {
        const tg = this.targetGroups.find(t => t.arn === input.TargetGroupArn);
        if (!tg) throw awsError('TargetGroupNotFoundException', 'not found');
        return {
          TargetHealthDescriptions: tg.targets.map(t => ({
            Target: {
              Id: t.id,
              Port: t.port,
              ...(t.availabilityZone
                ? { AvailabilityZone: t.availabilityZone }
                : {}),
            },
            TargetHealth: {
              State: t.state,
              ...(t.reason ? { Reason: t.reason } : {}),
            },
          })),
        };
      }
      default:
        throw new Error(`FakeElbv2 does not implement ${command}`);
    }
  }
}

function toLb(lb: FakeLoadBalancer) {
  return {
    LoadBalancerArn: lb.arn,
    LoadBalancerName: lb.name,
    DNSName: lb.dnsName,
    Scheme: lb.scheme ?? 'internet-facing',
    State: { Code: lb.state ?? 'active' },
    Type: 'network',
    IpAddressType: 'ipv4',
  };
}
