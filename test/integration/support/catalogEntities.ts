/**
 * A catalog module that puts fixed entities in a test backend's catalog, as a
 * location would: each with the location annotations the catalog requires.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';

export function catalogEntitiesModule(moduleId: string, entities: Entity[]) {
  const location = `test:${moduleId}`;
  return createBackendModule({
    pluginId: 'catalog',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addEntityProvider({
            getProviderName: () => moduleId,
            connect: async (connection: EntityProviderConnection) => {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        ...entity.metadata.annotations,
                        'backstage.io/managed-by-location': location,
                        'backstage.io/managed-by-origin-location': location,
                      },
                    },
                  },
                  locationKey: location,
                })),
              });
            },
          });
        },
      });
    },
  });
}
