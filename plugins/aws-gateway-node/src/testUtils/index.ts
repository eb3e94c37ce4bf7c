/**
 * Test helpers for code that talks to AWS or a Kubernetes API server through
 * this library: `@gateway-portal/plugin-aws-gateway-node/testUtils`.
 *
 * @packageDocumentation
 */
export { classicEndpoint } from '../manifests/__fixtures__/classicEndpoint';
export { InMemoryKubernetesClusters } from './inMemoryKubernetesClusters';
export type { InMemoryCluster } from './inMemoryKubernetesClusters';
export { referenceDir } from './referenceDir';
// The interface the in-memory clusters implement, from the main entry point.
export type {
  GatewayCluster,
  KubernetesClusters,
  KubernetesClustersCallOptions,
} from '../kubernetes/KubernetesClusters';
export type { UserKubernetesCredentials } from '../kubernetes/userKubernetesCredentials';
export { eventually } from './eventually';
export { startStalledServer } from './stalledServer';
export type { StalledServer } from './stalledServer';
