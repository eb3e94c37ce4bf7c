import {
  coreServices,
  createServiceFactory,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { ConfigReader } from '@backstage/config';

type DatabaseClient = Awaited<ReturnType<DatabaseService['getClient']>>;

/**
 * Backstage's database service (in-memory SQLite unless `backend.database`
 * says otherwise), except that the backend's stop closes every client it
 * gave. Backstage's own shutdown leaves them open (DatabaseManager's check
 * for SQLite reads the client's config object as a string, throws, and the
 * error is swallowed), and an open SQLite pool's reaper interval keeps Jest
 * from exiting after the file has passed.
 */
export const closingDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    rootLifecycle: coreServices.rootLifecycle,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  async createRootContext({ config, rootLifecycle }) {
    const manager = DatabaseManager.fromConfig(
      config.getOptional('backend.database')
        ? config
        : new ConfigReader({
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          }),
    );
    const clients = new Set<DatabaseClient>();
    // The root lifecycle stops after every plugin's: nothing queries any more.
    rootLifecycle.addShutdownHook(async () => {
      await Promise.allSettled([...clients].map(client => client.destroy()));
    });
    return { manager, clients };
  },
  async factory({ pluginMetadata, lifecycle, logger }, { manager, clients }) {
    const service = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    return {
      ...service,
      getClient: async () => {
        const client = await service.getClient();
        clients.add(client);
        return client;
      },
    };
  },
});
