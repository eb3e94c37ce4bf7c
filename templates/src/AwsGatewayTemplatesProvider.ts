import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { packageTemplatesDir, readBundledTemplates } from './bundledTemplates';

/** @public */
export interface AwsGatewayTemplatesProviderOptions {
  logger: LoggerService;
  /** Where the template folders are; this package's own folder by default. */
  templatesDir?: string;
}

/**
 * Registers the software templates shipped in this package (AWS Load Balancer
 * Controller setup, expose a TCP endpoint) in the catalog, replacing whatever
 * it registered before, so an upgrade of the package updates them.
 *
 * @public
 */
export class AwsGatewayTemplatesProvider implements EntityProvider {
  private readonly logger: LoggerService;
  private readonly templatesDir: string;

  constructor(options: AwsGatewayTemplatesProviderOptions) {
    this.logger = options.logger;
    this.templatesDir = options.templatesDir ?? packageTemplatesDir();
  }

  getProviderName(): string {
    return 'aws-gateway-templates';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    const templates = await readBundledTemplates(this.templatesDir);
    await connection.applyMutation({
      type: 'full',
      entities: templates.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.logger.info(
      `Registered the templates ${templates
        .map(entity => entity.metadata.name)
        .join(', ')}`,
    );
  }
}
