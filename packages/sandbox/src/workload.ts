/**
 * The sample service the newcomer exposes: the `backend` component of
 * examples/entities.yaml (kubernetes-id `backend`) as a Service with two
 * ready endpoints. The sandbox cluster has no kubelet and no
 * controller-manager, so the EndpointSlice is written here as the
 * EndpointSlice controller would write it for two running Pods. The addresses
 * are TEST-NET-1 (the API server refuses loopback ones; moto never dials them).
 */
import * as k8s from '@kubernetes/client-node';

export const SAMPLE_SERVICE = {
  namespace: 'default',
  name: 'backend',
  kubernetesId: 'backend',
  port: 3000,
};

const FIELD_MANAGER = 'gateway-portal-sandbox';

/** The Service and EndpointSlice; zones are the region's first two (where the sandbox network's subnets are). */
export function sampleWorkload(region: string): k8s.KubernetesObject[] {
  const { namespace, name, kubernetesId, port } = SAMPLE_SERVICE;
  const labels = { app: name, 'backstage.io/kubernetes-id': kubernetesId };
  const endpoints = [
    { ip: '192.0.2.10', zone: `${region}a` },
    { ip: '192.0.2.11', zone: `${region}b` },
  ];
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: { app: name },
        ports: [{ name: 'tcp', port, targetPort: port, protocol: 'TCP' }],
      },
    } as k8s.V1Service,
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-sandbox`,
        namespace,
        labels: {
          ...labels,
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': FIELD_MANAGER,
        },
      },
      addressType: 'IPv4',
      endpoints: endpoints.map(e => ({
        addresses: [e.ip],
        conditions: { ready: true, serving: true, terminating: false },
        zone: e.zone,
      })),
      ports: [{ name: 'tcp', port, protocol: 'TCP' }],
    } as k8s.V1EndpointSlice,
  ];
}

/** Creates (or brings back to this state) the sample workload. */
export async function ensureSampleWorkload(
  kc: k8s.KubeConfig,
  region: string,
): Promise<void> {
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const object of sampleWorkload(region)) {
    await client.patch(
      object,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
  }
}
