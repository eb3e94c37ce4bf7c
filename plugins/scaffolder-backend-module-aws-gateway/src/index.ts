/**
 * Scaffolder actions that provision AWS Load Balancer Controller gateways.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAwsGateway as default } from './module';
export { createFetchIamPolicyAction } from './actions/controller/fetchIamPolicy';
export { createRenderControllerAction } from './actions/controller/renderController';
export { createPlanControllerSetupAction, PLAN_CONTROLLER_SETUP_ACTION_ID } from './actions/controller/planControllerSetup';
export { createEnsurePodIdentityAssociationAction } from './actions/eks/ensurePodIdentityAssociation';
export { createEnsurePodIdentityRoleAction } from './actions/iam/ensurePodIdentityRole';
export { createEnsurePolicyAction } from './actions/iam/ensurePolicy';
export { createRenderEndpointAction } from './actions/endpoint/renderEndpoint';
export { InitiatorOwnership, OWNERSHIP_RULES } from './actions/support/initiatorOwnership';
export { createGitOpsCheckAction, GITOPS_CHECK_ACTION_ID } from './actions/gitops/gitopsCheck';
export { createGitOpsCommitAction, GITOPS_COMMIT_ACTION_ID } from './actions/gitops/gitopsCommit';
export { readGitOpsSettings } from './actions/gitops/gitopsSettings';
export type { GitOpsSettings } from './actions/gitops/gitopsSettings';
export { AwsGuardrails, AWS_GUARDRAIL_DEFAULTS } from './guardrails/awsGuardrails';
export type { AwsAllowance, AwsProvisioningSettings } from './guardrails/awsGuardrails';
