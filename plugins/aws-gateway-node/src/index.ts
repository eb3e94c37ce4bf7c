/**
 * Server-side building blocks shared by the gateway status backend and the
 * scaffolder module: AWS clients, Kubernetes cluster access, manifest
 * rendering and GitOps.
 *
 * @packageDocumentation
 */
export * from './aws/AwsClientFactory';
export * from './aws/arn';
export { classifyAwsError, isAwsError } from './aws/awsErrors';
export { isAbortError, networkErrorCode } from './errors/networkErrors';
export { redactAddresses, redactSecrets } from './errors/redaction';
export * from './aws/policyDocuments';
export * from './aws/policyLint';
export * from './aws/awsCall';
export * from './aws/retry';
export * from './aws/iam/iamArns';
export * from './aws/iam/managedTags';
export * from './aws/iam/ensurePolicy';
export * from './aws/iam/ensureRole';
export * from './aws/eks/ensurePodIdentityAssociation';
export { ConfigKubernetesClusterRegistry } from './kubernetes/KubernetesClusterRegistry';
export type {
  GatewayCluster,
  KubernetesClusterRegistry,
} from './kubernetes/KubernetesClusterRegistry';
export {
  apiStatus,
  apiStatusCode,
  classifyKubernetesError,
  isKubernetesNotFound,
  KubernetesApiError,
  toKubernetesApiError,
} from './kubernetes/apiErrors';
export type { KubernetesStatus } from './kubernetes/apiErrors';
export {
  abortableCall,
  KUBERNETES_CALL_TIMEOUT_MS,
  kubernetesDeadlineError,
} from './kubernetes/abortSignal';
export {
  ELBV2_K8S_API_GROUP_NAME,
  ENDPOINT_SLICES,
  GATEWAY_CLASSES,
  GATEWAYS,
  L4_ROUTES,
  LOAD_BALANCER_CONFIGURATIONS,
  SERVICE_NAME_LABEL,
  SERVICES,
  TARGET_GROUP_BINDINGS,
  TARGET_GROUP_CONFIGURATIONS,
  TGB_STACK_NAME_LABEL,
  TGB_STACK_NAMESPACE_LABEL,
} from './kubernetes/resources';
export type { ResourceSpec } from './kubernetes/resources';
export * from './manifests/types';
export * from './manifests/rules';
export * from './net/cidr';
export {
  namespaceGrantees,
  normaliseOwnerRef,
  readNamespaceGrants,
  readPlatformTeams,
} from './ownership/ownershipSettings';
export type { NamespaceGrant } from './ownership/ownershipSettings';
export * from './manifests/guardrails';
export * from './manifests/renderEndpoint';
export * from './manifests/renderController';
export * from './manifests/validateEndpoint';
export * from './manifests/validateManifests';
export {
  detectControllerProfile,
  profileMismatch,
} from './kubernetes/controllerProfileDetection';
export type { DetectedControllerProfile } from './kubernetes/controllerProfileDetection';
export { readServices, serverSideDryRun } from './kubernetes/serverSideDryRun';
export * from './urls/repositoryUrl';
export * from './urls/urlAllowList';
export * from './gitops/gitCredentials';
export type { GitTimeouts } from './gitops/gitHttp';
export { DEFAULT_GIT_TIMEOUTS } from './gitops/gitHttp';
export * from './gitops/GitOpsRepository';
export * from './gitops/pullRequests';
export { AWS_GATEWAY_ACTION_ID, AWS_GATEWAY_ACTION_IDS } from './scaffolder/actionIds';
export type { AwsGatewayActionId } from './scaffolder/actionIds';
export { wildcardMatcher } from './patterns/wildcard';
