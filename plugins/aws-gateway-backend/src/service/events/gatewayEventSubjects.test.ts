import {
  Gateway,
  GatewayClass,
  L4Route,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from '../../kubernetes/types';
import {
  gatewayEventSubjects,
  MAX_EVENT_SUBJECTS,
} from './gatewayEventSubjects';

const gateway: Gateway = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u-gw' },
  spec: {
    gatewayClassName: 'nlb',
    listeners: [{ name: 'tcp', port: 8080, protocol: 'TCP' }],
    infrastructure: {
      parametersRef: {
        group: 'gateway.k8s.aws',
        kind: 'LoadBalancerConfiguration',
        name: 'web-lb',
      },
    },
  },
};
const gatewayClass: GatewayClass = {
  metadata: { name: 'nlb', uid: 'u-class' },
  spec: {
    controllerName: 'gateway.k8s.aws/nlb',
    parametersRef: {
      group: 'gateway.k8s.aws',
      kind: 'LoadBalancerConfiguration',
      name: 'defaults',
      namespace: 'platform',
    },
  },
};
const route: L4Route = {
  kind: 'TCPRoute',
  apiVersion: 'gateway.networking.k8s.io/v1',
  metadata: { name: 'web', namespace: 'shop', uid: 'u-route' },
  spec: {
    parentRefs: [{ name: 'web' }],
    rules: [
      { backendRefs: [{ name: 'backend', namespace: 'apps', port: 3000 }] },
    ],
  },
};
const binding: TargetGroupBinding = {
  metadata: { name: 'k8s-apps-backend-123', namespace: 'apps', uid: 'u-tgb' },
  spec: { serviceRef: { name: 'backend', port: 3000 } },
};
const tgc = (namespace: string, name: string): TargetGroupConfiguration => ({
  metadata: { name: `${name}-tg`, namespace, uid: `u-${namespace}-${name}` },
  spec: { targetReference: { name } },
});

describe('gatewayEventSubjects', () => {
  it('names the Gateway, its GatewayClass (cluster-scoped: no namespace), its routes, bindings, both LoadBalancerConfigurations and its backends’ TargetGroupConfigurations', () => {
    expect(
      gatewayEventSubjects({
        gateway,
        gatewayClass,
        routes: [route],
        bindings: [binding],
        targetGroupConfigurations: [
          tgc('apps', 'backend'),
          tgc('apps', 'other'),
          tgc('shop', 'backend'),
        ],
      }),
    ).toEqual([
      { kind: 'Gateway', namespace: 'shop', name: 'web', uid: 'u-gw' },
      { kind: 'GatewayClass', name: 'nlb', uid: 'u-class' },
      { kind: 'TCPRoute', namespace: 'shop', name: 'web', uid: 'u-route' },
      {
        kind: 'TargetGroupBinding',
        namespace: 'apps',
        name: 'k8s-apps-backend-123',
        uid: 'u-tgb',
      },
      { kind: 'LoadBalancerConfiguration', namespace: 'shop', name: 'web-lb' },
      {
        kind: 'LoadBalancerConfiguration',
        namespace: 'platform',
        name: 'defaults',
      },
      {
        kind: 'TargetGroupConfiguration',
        namespace: 'apps',
        name: 'backend-tg',
        uid: 'u-apps-backend',
      },
    ]);
  });

  it('asks about at most MAX_EVENT_SUBJECTS objects', () => {
    const routes = Array.from({ length: 40 }, (_, i) => ({
      ...route,
      metadata: { name: `r${i}`, namespace: 'shop' },
    }));

    expect(
      gatewayEventSubjects({
        gateway,
        routes,
        bindings: [],
        targetGroupConfigurations: [],
      }),
    ).toHaveLength(MAX_EVENT_SUBJECTS);
  });
});
