/**
 * Integration: what the entity card says about the real controller's
 * behaviours beyond the classic example. The controller stand-in
 * (fixtures/controller/) leaves each state in moto and the real
 * kube-apiserver (both CRD profiles); the status service, wired as the
 * backend wires it, reads it back with its state and warnings.
 */
import * as k8s from '@kubernetes/client-node';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { GatewayStatus } from '@gateway-portal/plugin-aws-gateway-common';
import {
  CLASSIC_GATEWAY_CLASS,
  ensureClassicGatewayClass,
  programClassicGateway,
  startFakeController,
} from '../fixtures/classicGateway';
import { FakeController } from '../fixtures/controller';
import { L4Objects } from '../fixtures/l4Objects';
import { kubeConfigFor, PROFILE_V13, PROFILE_V16, uniqueName } from '../peers';
import { GetEntityGateways, statusServiceFor } from './support/statusService';

/** The entity asked about; each Gateway names it, as the expose template writes it. */
const ENTITY = 'component:default/edge';

describe.each([
  [PROFILE_V16, 'v1' as const],
  [PROFILE_V13, 'v1alpha2' as const],
])(
  'gateway warnings on the controller stand-in (%s)',
  (profile, routeVersion) => {
    const clusterName = uniqueName(`warnings-${routeVersion}`);
    let kc: k8s.KubeConfig;
    let objects: k8s.KubernetesObjectApi;
    let controller: FakeController;
    let elbv2: ElasticLoadBalancingV2Client;
    let namespace: string;
    let o: L4Objects;
    let get: GetEntityGateways;

    beforeAll(async () => {
      kc = kubeConfigFor(profile);
      objects = k8s.KubernetesObjectApi.makeApiClient(kc);
      ({ controller, elbv2 } = await startFakeController(
        kc,
        clusterName,
        routeVersion,
      ));
      namespace = uniqueName('warnings');
      await kc
        .makeApiClient(k8s.CoreV1Api)
        .createNamespace({ body: { metadata: { name: namespace } } });
      await ensureClassicGatewayClass(kc);
      o = new L4Objects({
        namespace,
        routeVersion,
        gatewayClassName: CLASSIC_GATEWAY_CLASS,
        entityRef: ENTITY,
      });
      get = statusServiceFor(kc, clusterName, ENTITY);
    });

    afterAll(() => elbv2?.destroy());

    async function apply(...list: k8s.KubernetesObject[]): Promise<void> {
      for (const object of list) await objects.create(object);
    }

    async function gatewayStatus(name: string): Promise<GatewayStatus> {
      const res = await get({
        'aws-gateway.io/gateways': `test/${namespace}/${name}`,
      });
      expect(res.errors).toEqual([]);
      expect(res.gateways).toHaveLength(1);
      expect(res.gateways[0].errors).toEqual([]);
      return res.gateways[0];
    }

    it('TCP and UDP on one port: both listeners on one TCP_UDP NLB listener, the younger UDPRoute named as getting no traffic', async () => {
      const name = 'dns';
      await o.applyTcpAndUdpOnOnePort(name, apply);

      await controller.reconcile(namespace, name);

      const gw = await gatewayStatus(name);

      expect(gw.state).toBe('programmed');
      for (const listener of gw.listeners) {
        expect(listener.loadBalancerListener).toMatchObject({
          port: 53,
          protocol: 'TCP_UDP',
        });
        expect(
          listener.targetGroups.map(tg => [tg.protocol, tg.service?.name]),
        ).toEqual([['TCP_UDP', 'dns-tcp']]);
      }
      expect(gw.warnings).toEqual([
        expect.objectContaining({
          code: 'route-shadowed',
          listener: 'udp-53',
          route: { kind: 'UDPRoute', namespace, name: 'dns-udp' },
          message: expect.stringContaining(
            `oldest route, TCPRoute ${namespace}/dns-tcp`,
          ),
        }),
      ]);
    });

    it('TLS passthrough: a TLS target group behind the TCP NLB listener is an error; with protocol: TCP it is not', async () => {
      const tlsGateway = async (name: string, protocol?: string) => {
        await apply(...o.tlsPassthrough(name, name, protocol));
        await controller.reconcile(namespace, name);
        return gatewayStatus(name);
      };

      // Two Gateways rather than one changed: moto's ModifyListener does not add the
      // load balancer to the new target group's LoadBalancerArns (AWS does), so the
      // status backend would not see it as this load balancer's (test/README.md).
      const broken = await tlsGateway('tls-default');
      expect(broken.listeners[0].loadBalancerListener?.protocol).toBe('TCP');
      expect(broken.listeners[0].targetGroups.map(tg => tg.protocol)).toEqual([
        'TLS',
      ]);
      expect(broken.warnings).toEqual([
        expect.objectContaining({
          code: 'tls-passthrough-tls-target-group',
          listener: 'tls-443',
          fix: expect.stringContaining(
            `Set protocol: TCP in the TargetGroupConfiguration of Service ${namespace}/tls-default`,
          ),
        }),
      ]);

      const fixed = await tlsGateway('tls-tcp', 'TCP');
      expect(fixed.listeners[0].targetGroups.map(tg => tg.protocol)).toEqual([
        'TCP',
      ]);
      expect(fixed.warnings).toEqual([]);
    });

    it('instance targets on a ClusterIP Service: an error state and the targetType fix', async () => {
      const name = 'instance';
      await apply(
        o.gateway(name, [{ name: 'tcp-6000', port: 6000, protocol: 'TCP' }]),
      );
      await controller.reconcileOnce(namespace, name);
      await apply(
        o.route('TCPRoute', name, { gateway: name, sectionName: 'tcp-6000' }, [
          { name: 'instance-app', port: 6000 },
        ]),
        ...o.workload('instance-app', 6000, 6000),
      );
      await controller.reconcile(namespace, name);

      const gw = await gatewayStatus(name);

      expect(gw.state).toBe('error');
      expect(gw.stateReason).toBe(
        'Not accepted: Invalid: Check Gateway Events for more information.',
      );
      expect(gw.listeners[0].loadBalancerListener).toBeUndefined();
      expect(gw.warnings).toEqual([
        expect.objectContaining({
          code: 'instance-target-clusterip',
          message: expect.stringContaining('so the Gateway is not accepted'),
          fix: expect.stringContaining('defaultConfiguration.targetType: ip'),
        }),
      ]);
    });

    it('a removed route: the Gateway stays programmed, its listener is gone, and the card says what to create', async () => {
      const name = 'removed';
      await programClassicGateway(kc, controller, {
        namespace,
        name,
        routeVersion,
        entityRef: ENTITY,
        id: 'removed',
        ips: ['192.0.2.61'],
      });
      await objects.delete({
        apiVersion: `gateway.networking.k8s.io/${routeVersion}`,
        kind: 'TCPRoute',
        metadata: { name, namespace },
      });
      await controller.reconcile(namespace, name);

      const gw = await gatewayStatus(name);

      expect(gw.state).toBe('programmed');
      expect(gw.listeners[0]).toMatchObject({
        attachedRoutes: 0,
        routes: [],
        targetGroups: [],
      });
      expect(gw.listeners[0].loadBalancerListener).toBeUndefined();
      expect(gw.warnings).toEqual([
        expect.objectContaining({
          code: 'listener-without-route',
          listener: gw.listeners[0].name,
        }),
      ]);
    });
  },
);
