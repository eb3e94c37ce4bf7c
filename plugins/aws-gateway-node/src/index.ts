/**
 * Server-side building blocks shared by the gateway status backend and the
 * scaffolder module: AWS clients, Kubernetes cluster access, manifest
 * rendering and GitOps.
 *
 * @packageDocumentation
 */
export { DefaultAwsClientFactory } from './aws/AwsClientFactory';
export type {
  AwsClientFactory,
  AwsClientFactoryOptions,
  AwsSdkClient,
  AwsServiceName,
  AwsTarget,
} from './aws/AwsClientFactory';
export {
  elbv2ConsoleUrl,
  isAwsAccountId,
  isAwsRegion,
  parseArn,
  parseElbv2Arn,
} from './aws/arn';
export type { Elbv2ResourceKind, ParsedArn } from './aws/arn';
export { classifyAwsError, isAwsError } from './aws/awsErrors';
export { isAbortError, networkErrorCode } from './errors/networkErrors';
export { redactAddresses, redactSecrets } from './errors/redaction';
export {
  decodeIamPolicyDocument,
  parsePolicyDocument,
  policyDocumentProblems,
} from './aws/policyDocuments';
export type {
  PolicyDocument,
  PolicyDocumentKind,
  PolicyStatement,
} from './aws/policyDocuments';
export { policyDocumentsEqual } from './aws/policyComparison';
export { podIdentityTrustPolicy } from './aws/podIdentityTrust';
export type { PodIdentityTrustScope } from './aws/podIdentityTrust';
export { adminEquivalentStatements } from './aws/policyLint';
export type { PolicyLintFinding } from './aws/policyLint';
export type { AwsCallOptions } from './aws/awsCall';
export type { RetryOptions } from './aws/retry';
export {
  iamPolicyArn,
  iamRoleArn,
  partitionForRegion,
} from './aws/iam/iamArns';
export type { IamNameRef } from './aws/iam/iamArns';
export { ensurePolicy, planPolicy } from './aws/iam/ensurePolicy';
export type {
  EnsurePolicyParams,
  EnsurePolicyResult,
  PolicyPlan,
} from './aws/iam/ensurePolicy';
export { ensureRole, planRole } from './aws/iam/ensureRole';
export type {
  EnsureRoleParams,
  EnsureRoleResult,
  RoleOperation,
  RolePlan,
} from './aws/iam/ensureRole';
export {
  ensurePodIdentityAssociation,
  planPodIdentityAssociation,
} from './aws/eks/ensurePodIdentityAssociation';
export type {
  AssociationSubject,
  EnsurePodIdentityAssociationParams,
  EnsurePodIdentityAssociationResult,
  PodIdentityAssociationPlan,
} from './aws/eks/ensurePodIdentityAssociation';
export { KubernetesPluginClusters } from './kubernetes/KubernetesPluginClusters';
export type { KubernetesPluginClustersOptions } from './kubernetes/KubernetesPluginClusters';
export {
  clusterNeedsUserToken,
  UserKubernetesCredentials,
} from './kubernetes/userKubernetesCredentials';
export type {
  GatewayCluster,
  KubernetesClusters,
  KubernetesClustersCallOptions,
} from './kubernetes/KubernetesClusters';
export {
  KUBERNETES_CLUSTER_HEADER,
  kubernetesProxyKubeConfig,
} from './kubernetes/kubernetesProxyKubeConfig';
export {
  apiStatusCode,
  classifyKubernetesError,
  isKubernetesNotFound,
  KubernetesApiError,
  kubernetesPluginError,
  kubernetesPluginStatusError,
  toKubernetesApiError,
} from './kubernetes/apiErrors';
export type { KubernetesPluginError } from './kubernetes/apiErrors';
export {
  formatLabelSelector,
  parseLabelSelector,
} from './kubernetes/labelSelector';
export type { LabelRequirement } from './kubernetes/labelSelector';
export {
  abortableCall,
  KUBERNETES_CALL_TIMEOUT_MS,
  kubernetesDeadlineError,
  untilAborted,
} from './kubernetes/abortSignal';
export {
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
export type {
  KubernetesManifest,
  ObservedService,
  RenderedManifest,
} from './manifests/types';
export { tlsListenerHostnameIssue } from './manifests/rules';
export type { SourceRangeRules } from './manifests/rules';
export { familiesCoveredEntirely, parseCidr } from './net/cidr';
export type { Cidr, CidrParseResult, CidrProblem, IpFamily } from './net/cidr';
export {
  namespaceGrantees,
  normaliseOwnerRef,
  readNamespaceGrants,
  readPlatformTeams,
} from './ownership/ownershipSettings';
export type { NamespaceGrant } from './ownership/ownershipSettings';
export {
  claimedEntityRef,
  gatewayViewerOf,
  isGatewayLinked,
} from './ownership/gatewayLink';
export type { GatewayViewer } from './ownership/gatewayLink';
export { readGatewayGuardrails } from './manifests/guardrails';
export {
  readSharedGateways,
  SHARED_LISTENER_PROTOCOLS,
  sharedGatewayId,
} from './manifests/sharedGatewayConfig';
export type {
  SharedGateway,
  SharedListenerProtocol,
  SharedRouteNamespaces,
} from './manifests/sharedGatewayConfig';
export {
  admitsRouteNamespace,
  assertSharedListenerHostname,
  describeSharedRouteNamespaces,
  findSharedGateway,
  freeSharedPorts,
  gatewayListeners,
  parseSharedGatewayManifest,
  planSharedListener,
  renderSharedRouteManifests,
  SHARED_LISTENER_PORT_ANNOTATION,
} from './manifests/sharedListener';
export type {
  GatewayListenerSummary,
  SharedListenerPlan,
  SharedListenerProblem,
  SharedListenerRequest,
} from './manifests/sharedListener';
export {
  pendingListenerClaims,
  readPendingSharedReviews,
  readSharedGatewayReview,
  readSharedGatewayManifest,
  SHARED_REVIEW_BRANCH_PREFIX,
  sharedReviewBranch,
} from './manifests/sharedGatewayRepository';
export type {
  CommittedTargetGroupConfigurations,
  PendingListenerClaim,
  PendingSharedReviews,
} from './manifests/sharedGatewayRepository';
export { planSharedListenerEdit } from './manifests/sharedListenerEdit';
export type { SharedListenerEditPlan } from './manifests/sharedListenerEdit';
export { ENDPOINT_EDIT_RULES } from './manifests/endpointEditRules';
export {
  readLiveGateway,
  readNamespaceLabels,
} from './manifests/sharedGatewayReads';
export {
  assertTargetGroupConfigurationsFree,
  committedTargetGroupConfigurations,
  COMMITTED_TARGET_GROUP_CONFIGURATION_FILES,
  targetGroupConfigurationCheckNote,
  targetGroupConfigurationProblems,
} from './manifests/sharedTargetGroupConfigurations';
export type {
  FoundTargetGroupConfiguration,
  TargetGroupConfigurationCheckOptions,
} from './manifests/sharedTargetGroupConfigurations';
export type { GatewayGuardrails, PortRange } from './manifests/guardrails';
export {
  manifestToYaml,
  renderEndpointManifests,
} from './manifests/renderEndpoint';
export {
  renderControllerHelmValues,
  renderControllerManifests,
} from './manifests/renderController';
export type {
  ControllerSetupSpec,
  RenderedFile,
} from './manifests/renderController';
export { validateEndpointSpec } from './manifests/validateEndpoint';
export { endpointListenerRoutes } from './manifests/endpointListenerRoutes';
export type {
  EndpointListenerInput,
  EndpointListenerRoutes,
} from './manifests/endpointListenerRoutes';
export { endpointControllerNotes } from './manifests/endpointControllerNotes';
export type { EndpointValidationContext } from './manifests/endpointValidationContext';
export { validateControllerSetupSpec } from './manifests/validateControllerSetup';
export { validateManifests } from './manifests/validateManifests';
export type { ManifestValidationContext } from './manifests/validateManifests';
export {
  detectControllerProfile,
  profileMismatch,
} from './kubernetes/controllerProfileDetection';
export type { DetectedControllerProfile } from './kubernetes/controllerProfileDetection';
export {
  readServices,
  serverSideDryRun,
  serverSideDryRunReplace,
} from './kubernetes/serverSideDryRun';
export type { RepositoryUrl } from './urls/repositoryUrl';
export { cloneUrlOfPickedRepository, isCloneUrl } from './urls/pickerRepoUrl';
export type { PickedRepository } from './urls/pickerRepoUrl';
export { RepositoryUrlAllowList } from './urls/urlAllowList';
export type { GitTimeouts } from './gitops/gitHttp';
export { GitOpsRepository } from './gitops/GitOpsRepository';
export {
  describeFileChanges,
  reviewAddsNothingAfter,
} from './gitops/fileChanges';
export { assertBranchName, planBranch } from './gitops/branches';
export type {
  CommitFilesOptions,
  CommitFilesResult,
  GitIdentity,
  GitOpsBranchPlan,
  GitOpsDirectory,
  GitOpsFilesBelow,
  GitOpsFilesBelowQuery,
  GitOpsFile,
  GitOpsRemoteInfo,
  GitOpsReviewBranch,
} from './gitops/types';
export type { GitOpsFileStatus, TreeChange } from './gitops/objectStore';
export type {
  OpenPullRequest,
  OpenPullRequestHead,
  OpenPullRequestList,
  PullRequestOpener,
  PullRequestRequest,
  PullRequestResult,
  PullRequestText,
} from './gitops/pullRequests';
export { PULL_REQUEST_TYPES } from './gitops/pullRequests';
export { chooseReviewBranch } from './gitops/reviewBranch';
export type { ReviewBranchChoice } from './gitops/reviewBranch';
export type { PullRequestHostType } from './gitops/pullRequestRules';
export type { CredentialSource } from './gitops/gitCredentials';
export {
  AWS_GATEWAY_ACTION_ID,
  AWS_GATEWAY_ACTION_IDS,
} from './scaffolder/actionIds';
export type { AwsGatewayActionId } from './scaffolder/actionIds';
export { wildcardMatcher } from './patterns/wildcard';
