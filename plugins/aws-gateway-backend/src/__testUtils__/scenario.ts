import { EndpointSlice } from '../kubernetes/types';
import { FakeElbv2, FakeKubernetes } from './fakes';

export const REGION = 'us-west-2';
export const ACCOUNT = '123456789012';

export interface ScenarioOptions {
  cluster?: string;
  namespace?: string;
  name?: string;
  port?: number;
  /** Write the NLB ARN into the Programmed condition (the controller does). */
  statusArn?: boolean;
  /** Create the TCPRoute. */
  route?: boolean;
  targets?: Array<{
    id: string;
    state: string;
    reason?: string;
    pod?: string;
    /** The EndpointSlice endpoint's zone. */
    zone?: string;
    /** What DescribeTargetHealth answers as the target's AvailabilityZone. */
    availabilityZone?: string;
  }>;
  labels?: Record<string, string>;
  /**
   * The Gateway's aws-gateway.io/entity-ref annotation, as the templates
   * write it; default `component:default/orders`, null for none.
   */
  entityRef?: string | null;
  lbTags?: boolean;
  dnsName?: string;
  serviceType?: string;
  targetType?: string;
  sourceRanges?: string[];
}

/**
 * What the AWS Load Balancer Controller leaves behind for one exposed
 * Service: Gateway + TCPRoute + Service + EndpointSlice + TargetGroupBinding
 * in Kubernetes, NLB + listener + target group in ELBv2.
 */
export function exposeScenario(
  kube: FakeKubernetes,
  elbv2: FakeElbv2,
  options: ScenarioOptions = {},
) {
  const cluster = options.cluster ?? 'dev';
  const ns = options.namespace ?? 'shop';
  const name = options.name ?? 'orders';
  const port = options.port ?? 8080;
  const hash = Buffer.from(`${cluster}/${ns}/${name}`)
    .toString('hex')
    .slice(0, 10);
  const lbName = `k8s-${ns.slice(0, 8)}-${name.slice(0, 8)}-${hash}`;
  const lbArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/${lbName}/${hash}`;
  const tgArn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/k8s-${ns}-${name}-${hash}/${hash}`;
  const dnsName = options.dnsName ?? `${lbName}.elb.${REGION}.amazonaws.com`;
  const route = options.route ?? true;
  const targets = options.targets ?? [
    { id: '10.0.1.10', state: 'healthy', pod: `${name}-a` },
    { id: '10.0.2.20', state: 'healthy', pod: `${name}-b` },
  ];
  const c = kube.cluster(cluster);

  c.add('gateway.networking.k8s.io/v1/gatewayclasses', {
    metadata: { name: 'aws-nlb' },
    spec: { controllerName: 'gateway.k8s.aws/nlb' },
  });
  c.add('gateway.networking.k8s.io/v1/gateways', {
    metadata: {
      name,
      namespace: ns,
      generation: 2,
      labels: options.labels ?? {},
      ...(options.entityRef === null
        ? {}
        : {
            annotations: {
              'aws-gateway.io/entity-ref':
                options.entityRef ?? 'component:default/orders',
            },
          }),
    },
    spec: {
      gatewayClassName: 'aws-nlb',
      listeners: [{ name: `tcp-${port}`, port, protocol: 'TCP' }],
      infrastructure: {
        parametersRef: {
          group: 'gateway.k8s.aws',
          kind: 'LoadBalancerConfiguration',
          name,
        },
      },
    },
    status: {
      addresses: [{ type: 'Hostname', value: dnsName }],
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          observedGeneration: 2,
        },
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: options.statusArn === false ? '' : lbArn,
          observedGeneration: 2,
        },
      ],
      listeners: [
        { name: `tcp-${port}`, attachedRoutes: route ? 1 : 0, conditions: [] },
      ],
    },
  });
  c.add('gateway.k8s.aws/v1/loadbalancerconfigurations', {
    metadata: { name, namespace: ns },
    spec: {
      scheme: 'internet-facing',
      ...(options.sourceRanges
        ? { sourceRanges: options.sourceRanges }
        : { sourceRanges: ['10.0.0.0/8'] }),
    },
  });
  c.add('/v1/services', {
    metadata: { name, namespace: ns },
    spec: {
      type: options.serviceType ?? 'ClusterIP',
      clusterIP: '172.20.0.10',
    },
  });
  c.add('gateway.k8s.aws/v1/targetgroupconfigurations', {
    metadata: { name, namespace: ns },
    spec: {
      targetReference: { kind: 'Service', name },
      defaultConfiguration: { targetType: options.targetType ?? 'ip' },
    },
  });
  const slice: EndpointSlice = {
    metadata: {
      name: `${name}-abcde`,
      namespace: ns,
      labels: { 'kubernetes.io/service-name': name },
    },
    endpoints: targets
      .filter(t => t.pod)
      .map(t => ({
        addresses: [t.id],
        nodeName: 'node-1',
        ...(t.zone ? { zone: t.zone } : {}),
        targetRef: { kind: 'Pod', name: t.pod, namespace: ns },
      })),
  };
  c.add('discovery.k8s.io/v1/endpointslices', slice);
  if (route) {
    c.add('gateway.networking.k8s.io/v1/tcproutes', {
      metadata: { name, namespace: ns },
      spec: {
        parentRefs: [{ name, sectionName: `tcp-${port}` }],
        rules: [{ backendRefs: [{ name, port }] }],
      },
      status: {
        parents: [
          {
            parentRef: { name, sectionName: `tcp-${port}` },
            controllerName: 'gateway.k8s.aws/nlb',
            conditions: [
              { type: 'Accepted', status: 'True', reason: 'Accepted' },
              { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs' },
            ],
          },
        ],
      },
    });
    c.add('elbv2.k8s.aws/v1beta1/targetgroupbindings', {
      metadata: {
        name: `k8s-${ns}-${name}-${hash}`,
        namespace: ns,
        labels: {
          'gateway.k8s.aws.nlb/stack-namespace': ns,
          'gateway.k8s.aws.nlb/stack-name': name,
        },
      },
      spec: {
        targetGroupARN: tgArn,
        targetType: options.targetType ?? 'ip',
        serviceRef: { name, port },
      },
    });
  }

  elbv2.loadBalancers.push({
    arn: lbArn,
    name: lbName,
    dnsName,
    tags:
      options.lbTags === false
        ? {}
        : {
            'elbv2.k8s.aws/cluster': cluster,
            'gateway.k8s.aws.nlb/stack': `${ns}/${name}`,
            'gateway.k8s.aws.nlb/resource': 'LoadBalancer',
          },
    listeners: route
      ? [
          {
            arn: `${lbArn.replace(':loadbalancer/', ':listener/')}/l${port}`,
            port,
            protocol: 'TCP',
            targetGroupArn: tgArn,
          },
        ]
      : [],
  });
  if (route) {
    elbv2.targetGroups.push({
      arn: tgArn,
      name: `k8s-${ns}-${name}-${hash}`.slice(0, 32),
      port,
      protocol: 'TCP',
      targetType: options.targetType ?? 'ip',
      loadBalancerArns: [lbArn],
      targets: targets.map(t => ({
        id: t.id,
        port,
        state: t.state,
        reason: t.reason,
        availabilityZone: t.availabilityZone,
      })),
    });
  }
  return { cluster, namespace: ns, name, lbArn, tgArn, dnsName, lbName };
}
