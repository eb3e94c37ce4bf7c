/**
 * Shared types and names of the AWS gateway plugin suite: annotations and
 * labels, permissions, the gateway status model and the manifest model.
 *
 * @packageDocumentation
 */
// Named exports only: what is listed here is the package's public API.
export {
  AWS_GATEWAY_ANNOTATION,
  ENTITY_REF_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  LBC_NLB_CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from './annotations';
export {
  isAwsGatewayAvailable,
  normaliseEntityRef,
  parseGatewayReferences,
} from './entityRefs';
export type { GatewayReference } from './entityRefs';
export {
  DNS_LABEL_MAX_LENGTH,
  DNS_SUBDOMAIN_MAX_LENGTH,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
} from './kubernetesNames';
export {
  awsGatewayPermissions,
  awsGatewayStatusReadPermission,
} from './permissions';
export { gatewayNeedsAttention } from './gatewayAttention';
export { gatewayConditionState } from './gatewayConditionState';
export type { GatewayConditionFacts } from './gatewayConditionState';
export type {
  ConditionSummary,
  EntityGatewaysResponse,
  GatewayEvent,
  GatewayEventObject,
  GatewayEvents,
  GatewayEventsAvailability,
  GatewayIdentity,
  GatewayState,
  GatewayStatus,
  GatewayWarning,
  GatewayWarningCode,
  HealthCounts,
  ListenerSummary,
  LoadBalancerSummary,
  RouteBackend,
  RouteSummary,
  StaleStatus,
  StatusError,
  StatusErrorKind,
  StatusPart,
  TargetGroupSummary,
  TargetHealthState,
  TargetStatus,
} from './status';
export {
  CONTROLLER_PROFILE_IDS,
  CONTROLLER_PROFILES,
  GATEWAY_API_GROUP_NAME,
  GATEWAY_API_VERSION,
  isControllerProfileId,
  L4_ROUTE_KIND_FOR_PROTOCOL,
  L4_ROUTE_KINDS,
  LBC_API_GROUP_NAME,
} from './manifests';
export type {
  ControllerProfile,
  ControllerProfileId,
  EndpointBackend,
  EndpointHealthCheck,
  EndpointListener,
  EndpointRoute,
  EndpointSpec,
  L4ListenerProtocol,
  L4RouteKind,
  LoadBalancerScheme,
  ManifestIssue,
  TargetType,
} from './manifests';
export {
  controllerTargetPath,
  endpointTargetPath,
  sharedListenerTargetPath,
} from './gitopsLayout';
export {
  GATEWAY_RESOURCE_ANNOTATIONS,
  GATEWAY_RESOURCE_TYPE,
} from './gatewayResource';
export type {
  EndpointFormCheck,
  EndpointFormIssue,
  EndpointFormValues,
  FormCluster,
  FormClustersResponse,
  FormGuardrails,
  FormNamespacesResponse,
  FormPortRange,
  FormService,
  FormServicePort,
  FormServicesResponse,
} from './formOptions';
export type {
  FormEndpoint,
  FormEndpointListener,
  FormEndpointSharedGateway,
  FormEndpointsResponse,
} from './formEndpoints';
export type {
  FormPendingPort,
  FormSharedGateway,
  FormSharedGatewaysResponse,
} from './formSharedGateways';
export { gatewayStatusSignalChannel } from './liveStatus';
export type { GatewayStatusChangedSignal } from './liveStatus';
export {
  KUBERNETES_USER_AUTH_HEADER,
  kubernetesUserAuthHeader,
} from './kubernetesAuth';
export type { KubernetesClusterAuth } from './kubernetesAuth';
