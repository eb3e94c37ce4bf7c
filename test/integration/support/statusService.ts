/**
 * The gateway status service wired as the backend wires it, against the
 * peers: one cluster named `test` (a profile's kube-apiserver), AWS through
 * the peers' endpoint (the SDK's AWS_ENDPOINT_URL: the product never
 * configures endpoints), no cache TTL, permissions allowed, and the
 * product's default request deadline (4 s): a read slower than a user would
 * be served fails its test instead of passing unseen. `get` asks for one
 * entity's gateways as a signed-in user would.
 */
import * as k8s from '@kubernetes/client-node';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import {
  createGatewayStatusService,
  type CreateGatewayStatusServiceOptions,
} from '@gateway-portal/plugin-aws-gateway-backend/testUtils';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import type { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { awsAccountsConfig, awsPeer } from '../../peers';

export type GetEntityGateways = (
  annotations: Record<string, string>,
) => Promise<EntityGatewaysResponse>;

/**
 * The status service for `entityRef` (a component), whose catalog entity
 * carries the annotations given to `get`. `wiring` adds a lifecycle (the
 * watch cache, with `watch` as its `awsGateway.status.watch` settings) or a
 * wrapper of its direct Kubernetes client.
 */
export function statusServiceFor(
  kc: k8s.KubeConfig,
  controllerClusterName: string,
  entityRef: string,
  {
    watch,
    status,
    awsEndpoint,
    ...wiring
  }: Pick<CreateGatewayStatusServiceOptions, 'lifecycle' | 'kubernetes'> & {
    watch?: { firstSyncWaitSeconds?: number; retryMaxSeconds?: number };
    /** More `awsGateway.status` settings. */
    status?: Record<string, number>;
    /** Where AWS calls go instead of the peer's endpoint (a counting proxy in front of it). */
    awsEndpoint?: string;
  } = {},
): GetEntityGateways {
  const aws = awsPeer();
  process.env.AWS_ENDPOINT_URL = awsEndpoint ?? aws.endpoint;
  const config = new ConfigReader({
    aws: awsAccountsConfig(aws),
    awsGateway: {
      status: {
        cacheTtlSeconds: 0,
        ...(watch ? { watch } : {}),
        ...status,
        clusters: [
          {
            name: 'test',
            accountId: aws.accountId,
            region: aws.region,
            controllerClusterName,
          },
        ],
      },
    },
  });
  let currentEntity: Entity | undefined;
  const service = createGatewayStatusService({
    ...wiring,
    config,
    logger: mockServices.logger.mock(),
    catalog: { getEntityByRef: async () => currentEntity },
    permissions: mockServices.permissions(),
    // Backstage's in-memory store (no backend.cache configured).
    cache: CacheManager.fromConfig(config).forPlugin('aws-gateway'),
    clusters: new InMemoryKubernetesClusters([
      { name: 'test', kubeConfig: kc },
    ]),
  });
  const [, namespaceAndName] = entityRef.split(':');
  const [namespace, name] = namespaceAndName.split('/');
  return async annotations => {
    currentEntity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace, annotations },
      spec: {},
    };
    return service.getEntityGateways(
      { entityRef, refresh: true },
      { credentials: mockCredentials.user('user:default/t') },
    );
  };
}
