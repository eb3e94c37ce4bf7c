/**
 * Scaffolder actions that provision AWS Load Balancer Controller gateways.
 * The action ids are `AWS_GATEWAY_ACTION_ID` of
 * `@gateway-portal/plugin-aws-gateway-node`.
 *
 * @packageDocumentation
 */
export {
  scaffolderModuleAwsGateway,
  scaffolderModuleAwsGateway as default,
} from './module';
// The factories, for a deployment that registers the actions in its own module.
export { createFetchIamPolicyAction } from './actions/controller/fetchIamPolicy';
export { createRenderControllerAction } from './actions/controller/renderController';
export { createPlanControllerSetupAction } from './actions/controller/planControllerSetup';
export { createEnsurePodIdentityAssociationAction } from './actions/eks/ensurePodIdentityAssociation';
export { createEnsurePodIdentityRoleAction } from './actions/iam/ensurePodIdentityRole';
export { createEnsurePolicyAction } from './actions/iam/ensurePolicy';
export { createRenderEndpointAction } from './actions/endpoint/renderEndpoint';
export { createSharedListenerAction } from './actions/endpoint/sharedListener';
export { createChangeSharedListenerAction } from './actions/endpoint/changeSharedListener';
export { createRemoveSharedListenerAction } from './actions/endpoint/removeSharedListener';
export { createLocateEndpointAction } from './actions/endpoint/locateEndpoint';
export type { SharedGatewayActionDeps } from './actions/endpoint/editSharedListener';
export { createPlanEndpointChangeAction } from './actions/endpoint/planEndpointChange';
export { createPlanEndpointRemovalAction } from './actions/endpoint/planEndpointRemoval';
export { createGitOpsCheckAction } from './actions/gitops/gitopsCheck';
export { createGitOpsCommitAction } from './actions/gitops/gitopsCommit';
// What the factories take.
export { InitiatorOwnership } from './actions/support/initiatorOwnership';
export type {
  EndpointClaim,
  InitiatorContext,
  InitiatorOwnershipOptions,
} from './actions/support/initiatorOwnership';
export type { AwsProvisioningActionOptions } from './actions/support/awsCheckpoint';
export type { FetchIamPolicySettings } from './actions/controller/fetchIamPolicy';
export type { BundleGuardrails } from './actions/gitops/bundleChecks';
export { readGitOpsSettings } from './actions/gitops/gitopsSettings';
export type { GitOpsSettings } from './actions/gitops/gitopsSettings';
export { AwsGuardrails } from './guardrails/awsGuardrails';
export type {
  AwsAllowance,
  AwsProvisioningSettings,
} from './guardrails/awsGuardrails';
