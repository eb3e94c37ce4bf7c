/**
 * For tests and benchmarks of the gateway status service: the service built
 * as its default factory builds it, with a way to count or delay its
 * Kubernetes and AWS calls.
 *
 * @packageDocumentation
 */
export {
  createGatewayStatusService,
  type CreateGatewayStatusServiceOptions,
} from '../service/createGatewayStatusService';
export type {
  KubernetesConnectOptions,
  KubernetesConnection,
  KubernetesObjectClient,
  ListOptions,
  ResourceVersion,
} from '../kubernetes/KubernetesObjectClient';
export type { Elbv2ClientSource } from '../aws/Elbv2Reader';
export type { AnswerDue } from '../deadline';
export type {
  ListedPage,
  WatchTransport,
} from '../kubernetes/watch/ResourceWatch';
export type { SignalPublisher } from '../service/liveStatus/LiveStatusNotifier';
export type { KubeObject, ObjectMeta } from '../kubernetes/types';
export type {
  CacheResult,
  RefreshResult,
  StaleReason,
  StatusMetrics,
  StatusOutcome,
} from '../metrics';
export type {
  GatewayStatusService,
  GetEntityGatewaysRequest,
} from '../service/GatewayStatusService';
