/**
 * Server-side building blocks shared by the gateway status backend and the
 * scaffolder module: AWS clients, Kubernetes cluster access, manifest
 * rendering and GitOps.
 *
 * @packageDocumentation
 */
export * from './aws/AwsClientFactory';
export * from './aws/arn';
export * from './kubernetes/KubernetesClusterRegistry';
