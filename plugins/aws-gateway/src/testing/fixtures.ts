import { Entity } from '@backstage/catalog-model';
import {
  EntityGatewaysResponse,
  GatewayStatus,
  HealthCounts,
  ListenerSummary,
  TargetGroupSummary,
} from '@gateway-portal/plugin-aws-gateway-common';

/** Realistic answers of the status backend, for the component tests. */

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

export const entityWithoutAnnotations: Entity = {
  ...entity,
  metadata: { name: 'payments', namespace: 'default' },
};

export const DNS_NAME =
  'k8s-payments-paymentsg-0123456789.elb.eu-west-1.amazonaws.com';
const NLB_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/k8s-payments-paymentsg-0123456789/50dc6c495c0c9188';
const CONSOLE =
  'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1';
const TG_ARN =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-payments-payments-1a2b3c4d5e/73e2d6bc24d8a067';

export function health(counts: Partial<HealthCounts>): HealthCounts {
  const full = {
    healthy: 0,
    unhealthy: 0,
    initial: 0,
    draining: 0,
    unused: 0,
    unavailable: 0,
    ...counts,
  };
  return {
    ...full,
    total:
      full.healthy +
      full.unhealthy +
      full.initial +
      full.draining +
      full.unused +
      full.unavailable,
  };
}

export function targetGroup(
  overrides: Partial<TargetGroupSummary> = {},
): TargetGroupSummary {
  return {
    arn: TG_ARN,
    name: 'k8s-payments-payments-1a2b3c4d5e',
    protocol: 'TCP',
    port: 8080,
    targetType: 'ip',
    consoleUrl: `${CONSOLE}#TargetGroup:targetGroupArn=${encodeURIComponent(
      TG_ARN,
    )}`,
    service: { namespace: 'payments', name: 'payments', port: 8080 },
    health: health({ healthy: 2 }),
    targets: [
      {
        id: '10.0.1.15',
        port: 8080,
        availabilityZone: 'eu-west-1a',
        state: 'healthy',
        pod: {
          namespace: 'payments',
          name: 'payments-7d9c8b6f5-abcde',
          nodeName: 'ip-10-0-1-10.eu-west-1.compute.internal',
        },
      },
      {
        id: '10.0.2.27',
        port: 8080,
        availabilityZone: 'eu-west-1b',
        state: 'healthy',
        pod: { namespace: 'payments', name: 'payments-7d9c8b6f5-fghij' },
      },
    ],
    errors: [],
    ...overrides,
  };
}

export function listener(
  overrides: Partial<ListenerSummary> = {},
): ListenerSummary {
  return {
    name: 'tcp-8080',
    port: 8080,
    protocol: 'TCP',
    attachedRoutes: 1,
    conditions: [],
    routes: [
      {
        kind: 'TCPRoute',
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        namespace: 'payments',
        name: 'payments',
        accepted: { type: 'Accepted', status: 'True', reason: 'Accepted' },
        resolvedRefs: {
          type: 'ResolvedRefs',
          status: 'True',
          reason: 'ResolvedRefs',
        },
        backends: [
          {
            kind: 'Service',
            namespace: 'payments',
            name: 'payments',
            port: 8080,
          },
        ],
      },
    ],
    loadBalancerListener: {
      arn: `${NLB_ARN.replace(':loadbalancer/', ':listener/')}/1`,
      port: 8080,
      protocol: 'TCP',
    },
    targetGroups: [targetGroup()],
    ...overrides,
  };
}

export function programmedGateway(
  overrides: Partial<GatewayStatus> = {},
): GatewayStatus {
  return {
    gateway: { cluster: 'prod-eu', namespace: 'payments', name: 'payments-gw' },
    gatewayClassName: 'aws-nlb',
    state: 'programmed',
    stateReason: 'The load balancer is active',
    accepted: { type: 'Accepted', status: 'True', reason: 'Accepted' },
    programmed: {
      type: 'Programmed',
      status: 'True',
      reason: 'Programmed',
      message: NLB_ARN,
    },
    dnsName: DNS_NAME,
    loadBalancer: {
      arn: NLB_ARN,
      name: 'k8s-payments-paymentsg-0123456789',
      dnsName: DNS_NAME,
      scheme: 'internet-facing',
      state: 'active',
      type: 'network',
      accountId: '123456789012',
      region: 'eu-west-1',
      consoleUrl: `${CONSOLE}#LoadBalancer:loadBalancerArn=${encodeURIComponent(
        NLB_ARN,
      )}`,
      foundBy: 'status-arn',
    },
    sourceRanges: ['203.0.113.0/24'],
    listeners: [listener()],
    warnings: [],
    errors: [],
    ...overrides,
  };
}

export function provisioningGateway(): GatewayStatus {
  return programmedGateway({
    state: 'provisioning',
    stateReason: 'Waiting for load balancer to be active.',
    programmed: {
      type: 'Programmed',
      status: 'Unknown',
      reason: 'Pending',
      message: 'Waiting for load balancer to be active.',
    },
    dnsName: undefined,
    loadBalancer: undefined,
    requestedScheme: 'internet-facing',
    listeners: [
      listener({ loadBalancerListener: undefined, targetGroups: [] }),
    ],
  });
}

export function gatewaysResponse(
  overrides: Partial<EntityGatewaysResponse> = {},
): EntityGatewaysResponse {
  return {
    entityRef: 'component:default/payments',
    configured: true,
    gateways: [programmedGateway()],
    errors: [],
    fetchedAt: new Date().toISOString(),
    ...overrides,
  };
}
