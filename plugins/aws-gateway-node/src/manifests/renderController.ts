import {
  ControllerProfile,
  GATEWAY_API_VERSION,
  LBC_API_GROUP_NAME,
  LBC_NLB_CONTROLLER_NAME,
  LoadBalancerScheme,
  MANAGED_BY_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import { stringify } from 'yaml';
import { KubernetesManifest, RenderedManifest } from './types';

/** What the controller-setup template renders for one cluster. @public */
export interface ControllerSetupSpec {
  clusterName: string;
  region: string;
  vpcId?: string;
  /** The controller's service account (Pod Identity binds the role to it). */
  serviceAccount: { namespace: string; name: string };
  gatewayClassName: string;
  /** The default LoadBalancerConfiguration the GatewayClass points at. */
  defaults: {
    name: string;
    namespace: string;
    scheme: LoadBalancerScheme;
    sourceCidrs: string[];
    tags?: Record<string, string>;
  };
}

/** A non-Kubernetes file, such as Helm values. @public */
export interface RenderedFile {
  path: string;
  content: string;
}

const LABELS = { 'app.kubernetes.io/managed-by': MANAGED_BY_VALUE };

/**
 * GatewayClass for the NLB controller and its default
 * LoadBalancerConfiguration. The class's parametersRef carries the namespace
 * the controller requires.
 *
 * @public
 */
export function renderControllerManifests(
  spec: ControllerSetupSpec,
  profile: ControllerProfile,
): RenderedManifest[] {
  const defaultsSpec: Record<string, unknown> = {
    scheme: spec.defaults.scheme,
  };
  if (spec.defaults.sourceCidrs.length)
    defaultsSpec.sourceRanges = [...spec.defaults.sourceCidrs];
  if (spec.defaults.tags && Object.keys(spec.defaults.tags).length) {
    defaultsSpec.tags = { ...spec.defaults.tags };
  }
  const loadBalancerConfiguration: KubernetesManifest = {
    apiVersion: profile.lbcApiVersion,
    kind: 'LoadBalancerConfiguration',
    metadata: {
      name: spec.defaults.name,
      namespace: spec.defaults.namespace,
      labels: { ...LABELS },
    },
    spec: defaultsSpec,
  };
  const gatewayClass: KubernetesManifest = {
    apiVersion: GATEWAY_API_VERSION,
    kind: 'GatewayClass',
    metadata: { name: spec.gatewayClassName, labels: { ...LABELS } },
    spec: {
      controllerName: LBC_NLB_CONTROLLER_NAME,
      parametersRef: {
        group: LBC_API_GROUP_NAME,
        kind: 'LoadBalancerConfiguration',
        name: spec.defaults.name,
        namespace: spec.defaults.namespace,
      },
    },
  };
  return [loadBalancerConfiguration, gatewayClass].map(manifest => ({
    path: `${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`,
    manifest,
  }));
}

/**
 * Helm values for the `aws-load-balancer-controller` chart: the cluster, and
 * the NLB Gateway API feature gate, which controllers before v3.2 keep off by
 * default. Credentials come from EKS Pod Identity, so the service account has
 * no IRSA role annotation.
 *
 * @public
 */
export function renderControllerHelmValues(
  spec: ControllerSetupSpec,
  profile: ControllerProfile,
): RenderedFile {
  const values = {
    clusterName: spec.clusterName,
    region: spec.region,
    ...(spec.vpcId ? { vpcId: spec.vpcId } : {}),
    serviceAccount: { create: true, name: spec.serviceAccount.name },
    controllerConfig: {
      featureGates: {
        // Explicit on every version, so the values say what runs.
        NLBGatewayAPI: true,
        ALBGatewayAPI: false,
      },
    },
  };
  const header = `# aws-load-balancer-controller Helm values for ${profile.title}.\n# Install into namespace ${spec.serviceAccount.namespace}; the IAM role reaches the pod through EKS Pod Identity.\n`;
  return {
    path: 'aws-load-balancer-controller-values.yaml',
    content: header + stringify(values, { lineWidth: 0 }),
  };
}
