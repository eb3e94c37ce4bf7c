/**
 * Server-side building blocks shared by the gateway status backend and the
 * scaffolder module: AWS clients, Kubernetes cluster access, manifest
 * rendering and GitOps.
 *
 * @packageDocumentation
 */
export * from './aws/AwsClientFactory';
export * from './aws/arn';
export * from './aws/awsErrors';
export * from './aws/policyDocuments';
export * from './aws/policyLint';
export * from './aws/awsCall';
export * from './aws/retry';
export * from './aws/iam/iamArns';
export * from './aws/iam/managedTags';
export * from './aws/iam/ensurePolicy';
export * from './aws/iam/ensureRole';
export * from './aws/eks/ensurePodIdentityAssociation';
export * from './kubernetes/KubernetesClusterRegistry';
export * from './kubernetes/apiErrors';
export * from './kubernetes/abortSignal';
export * from './manifests/types';
export * from './manifests/rules';
export * from './net/cidr';
export * from './ownership/ownershipSettings';
export * from './manifests/guardrails';
export * from './manifests/renderEndpoint';
export * from './manifests/renderController';
export * from './manifests/validateEndpoint';
export * from './manifests/validateManifests';
export * from './kubernetes/controllerProfileDetection';
export * from './kubernetes/serverSideDryRun';
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
