/**
 * The id of every scaffolder action the suite registers: the scaffolder module
 * registers its actions under these, and the permission module expands its
 * `privilegedActions` patterns against them (the scaffolder's HAS_ACTION_ID
 * rule matches exact ids only).
 *
 * @public
 */
export const AWS_GATEWAY_ACTION_ID = {
  ensurePolicy: 'aws-gateway:iam:ensure-policy',
  ensurePodIdentityRole: 'aws-gateway:iam:ensure-pod-identity-role',
  ensurePodIdentityAssociation:
    'aws-gateway:eks:ensure-pod-identity-association',
  fetchIamPolicy: 'aws-gateway:controller:fetch-iam-policy',
  renderController: 'aws-gateway:controller:render',
  planControllerSetup: 'aws-gateway:controller:plan',
  renderEndpoint: 'aws-gateway:endpoint:render',
  planEndpointChange: 'aws-gateway:endpoint:plan-change',
  planEndpointRemoval: 'aws-gateway:endpoint:plan-removal',
  gitopsCheck: 'aws-gateway:gitops:check',
  gitopsCommit: 'aws-gateway:gitops:commit',
  sharedListener: 'aws-gateway:endpoint:shared-listener',
  changeSharedListener: 'aws-gateway:endpoint:change-shared-listener',
  removeSharedListener: 'aws-gateway:endpoint:remove-shared-listener',
  locateEndpoint: 'aws-gateway:endpoint:locate',
} as const;

/** @public */
export type AwsGatewayActionId =
  (typeof AWS_GATEWAY_ACTION_ID)[keyof typeof AWS_GATEWAY_ACTION_ID];

/** Every id of {@link AWS_GATEWAY_ACTION_ID}, as a list. @public */
export const AWS_GATEWAY_ACTION_IDS: readonly AwsGatewayActionId[] =
  Object.values(AWS_GATEWAY_ACTION_ID);
