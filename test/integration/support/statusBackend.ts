/**
 * What the tests that run a real backend's status API against a peer
 * cluster share: a component entity and its Gateway on the peer API server,
 * the backend configuration that makes the peer the Kubernetes plugin's
 * cluster and the status service's (AWS through the peers' endpoint), and
 * the status API's path for an entity.
 */
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { ENTITY_REF_ANNOTATION } from '@gateway-portal/plugin-aws-gateway-common';
import type { JsonObject } from '@backstage/types';
import * as k8s from '@kubernetes/client-node';
import { awsAccountsConfig, awsPeer } from '../../peers';

/** Gateways, as CustomObjectsApi names them. */
export const GATEWAY_OBJECTS = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'gateways',
} as const;

/** A component in the catalog whose annotations say which Gateways are its own. */
export function componentEntity(
  entityRef: string,
  annotations: Record<string, string>,
): Entity {
  const { namespace, name } = parseEntityRef(entityRef);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace, annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: 'production',
    },
  };
}

/** A Gateway linked to `entityRef` by its entity-ref annotation, as the expose template writes it. */
export interface EntityGateway {
  namespace: string;
  name: string;
  entityRef: string;
  labels?: Record<string, string>;
}

export async function createEntityGateway(
  objects: k8s.CustomObjectsApi,
  gateway: EntityGateway,
): Promise<void> {
  await objects.createNamespacedCustomObject({
    ...GATEWAY_OBJECTS,
    namespace: gateway.namespace,
    body: {
      apiVersion: `${GATEWAY_OBJECTS.group}/${GATEWAY_OBJECTS.version}`,
      kind: 'Gateway',
      metadata: {
        name: gateway.name,
        namespace: gateway.namespace,
        annotations: { [ENTITY_REF_ANNOTATION]: gateway.entityRef },
        ...(gateway.labels ? { labels: gateway.labels } : {}),
      },
      spec: {
        gatewayClassName: 'aws-nlb',
        listeners: [{ name: 'tcp', protocol: 'TCP', port: 8080 }],
      },
    },
  });
}

/** Deletes a Gateway a test made; one already gone is fine. */
export async function deleteGateway(
  objects: k8s.CustomObjectsApi | undefined,
  namespace: string,
  name: string,
): Promise<void> {
  await objects
    ?.deleteNamespacedCustomObject({ ...GATEWAY_OBJECTS, namespace, name })
    .catch(() => undefined);
}

/** The Kubernetes plugin's cluster entry (`kubernetes.clusterLocatorMethods[].clusters[]`). */
export interface KubernetesPluginCluster extends JsonObject {
  name: string;
  url: string;
  authProvider: string;
}

/**
 * The backend configuration for one peer cluster: the peers' AWS accounts,
 * the cluster as the Kubernetes plugin's, and as a status cluster in the
 * peers' account and region, with `status` and `awsGateway` settings added.
 * Points the AWS SDK at the peers (the product never configures endpoints).
 */
export function statusBackendConfig(options: {
  cluster: KubernetesPluginCluster;
  status?: JsonObject;
  awsGateway?: JsonObject;
}): JsonObject {
  const aws = awsPeer();
  process.env.AWS_ENDPOINT_URL = aws.endpoint;
  return {
    aws: awsAccountsConfig(aws),
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [{ type: 'config', clusters: [options.cluster] }],
    },
    awsGateway: {
      ...options.awsGateway,
      status: {
        ...options.status,
        clusters: [
          {
            name: options.cluster.name,
            accountId: aws.accountId,
            region: aws.region,
          },
        ],
      },
    },
  };
}

/** The status API's path for an entity, below `/api/aws-gateway`. */
export function entityGatewaysPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${kind}/${namespace}/${name}/gateways`;
}
