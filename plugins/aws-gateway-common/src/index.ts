/**
 * Shared types and names of the AWS gateway plugin suite: annotations and
 * labels, permissions, the gateway status model and the manifest model.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './entityRefs';
export * from './kubernetesNames';
export * from './permissions';
export * from './status';
export * from './manifests';
export { controllerTargetPath, endpointTargetPath } from './gitopsLayout';
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
