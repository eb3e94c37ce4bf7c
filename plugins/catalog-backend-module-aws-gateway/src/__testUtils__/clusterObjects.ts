import { LBC_NLB_CONTROLLER_NAME } from '@gateway-portal/plugin-aws-gateway-common';
import { ClusterObjects } from '../provider/clusterObjects';

export const NLB_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-shop-web-0123456789/0123456789abcdef';

/** A programmed NLB Gateway, with overrides of its parts. */
export function nlbGateway(
  options: {
    namespace?: string;
    name?: string;
    className?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    listeners?: unknown[];
    status?: unknown;
    parametersRef?: unknown;
  } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      namespace: options.namespace ?? 'shop',
      name: options.name ?? 'web',
      annotations: options.annotations ?? {
        'aws-gateway.io/entity-ref': 'component:default/web',
      },
      labels: options.labels ?? {},
    },
    spec: {
      gatewayClassName: options.className ?? 'aws-nlb',
      listeners: options.listeners ?? [
        { name: 'tcp', port: 8080, protocol: 'TCP' },
      ],
      infrastructure: {
        parametersRef: options.parametersRef ?? {
          group: 'gateway.k8s.aws',
          kind: 'LoadBalancerConfiguration',
          name: 'web-lb',
        },
      },
    },
    status: options.status ?? {
      addresses: [
        {
          type: 'Hostname',
          value: 'k8s-shop-web-0123456789.elb.eu-west-1.amazonaws.com',
        },
      ],
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted' },
        {
          type: 'Programmed',
          status: 'True',
          reason: 'Programmed',
          message: NLB_ARN,
        },
      ],
    },
  };
}

export function loadBalancerConfiguration(
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): Record<string, unknown> {
  return {
    apiVersion: 'gateway.k8s.aws/v1',
    kind: 'LoadBalancerConfiguration',
    metadata: { namespace, name },
    spec,
  };
}

/** The NLB class `aws-nlb`, another controller's class `other`, and the given objects. */
export function clusterObjects(
  gateways: Record<string, unknown>[],
  loadBalancerConfigurations: Record<string, unknown>[] = [
    loadBalancerConfiguration('shop', 'web-lb', {
      scheme: 'internet-facing',
      sourceRanges: ['203.0.113.0/24'],
    }),
  ],
): ClusterObjects {
  return {
    gatewayClasses: [
      {
        metadata: { name: 'aws-nlb' },
        spec: { controllerName: LBC_NLB_CONTROLLER_NAME },
      },
      {
        metadata: { name: 'other' },
        spec: { controllerName: 'example.com/gateway' },
      },
    ],
    gateways,
    loadBalancerConfigurations,
  };
}
