import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { KUBERNETES_ID_ANNOTATION } from '@gateway-portal/plugin-aws-gateway-common';
import { ComponentLookup, groupByKubernetesId } from './gatewayOwners';

/** What the resolution reads of an entity. */
const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  `metadata.annotations.${KUBERNETES_ID_ANNOTATION}`,
  'spec.owner',
  'spec.system',
];

/**
 * The catalog, read with the module's own service credentials: the
 * provider decides ownership for everyone, so it must not depend on who
 * happens to be signed in.
 */
export function catalogComponentLookup(
  catalog: Pick<CatalogService, 'getEntitiesByRefs' | 'getEntities'>,
  auth: Pick<AuthService, 'getOwnServiceCredentials'>,
): ComponentLookup {
  return {
    async byRef(refs) {
      if (!refs.length) return new Map();
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs, fields: FIELDS },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return new Map(
        refs.flatMap((ref, i) => (items[i] ? [[ref, items[i]!]] : [])),
      );
    },
    async byKubernetesId(ids) {
      if (!ids.length) return new Map();
      const { items } = await catalog.getEntities(
        {
          filter: {
            kind: 'component',
            [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: ids,
          },
          fields: FIELDS,
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return groupByKubernetesId(items);
    },
  };
}
