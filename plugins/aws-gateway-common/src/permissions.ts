import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Reading the gateway status of a catalog entity. A resource permission on the
 * entity, so policies can grant it per owner, kind or any catalog rule.
 *
 * @public
 */
export const awsGatewayStatusReadPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'aws-gateway.status.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  });

/** @public */
export const awsGatewayPermissions = [awsGatewayStatusReadPermission];
