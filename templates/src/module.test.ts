import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import request from 'supertest';
import { catalogModuleAwsGatewayTemplates } from './module';

// The real catalog backend with this module, under the rules the README
// recommends (registered locations may add only ordinary kinds): the module's
// templates still arrive, since the module itself is the administrator's choice.
describe('catalogModuleAwsGatewayTemplates in a real catalog', () => {
  it('registers both templates', async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        catalogModuleAwsGatewayTemplates,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'System', 'API', 'Resource'] }],
            },
          },
        }),
      ],
    });
    try {
      const names = async () => {
        const res = await request(backend.server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=template' })
          .set('Authorization', mockCredentials.user.header());
        expect(res.status).toBe(200);
        return (res.body.items as { metadata: { name: string } }[])
          .map(entity => entity.metadata.name)
          .sort();
      };
      const deadline = Date.now() + 30_000;
      let found = await names();
      while (found.length < 4 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 250));
        found = await names();
      }
      expect(found).toEqual([
        'change-tcp-endpoint',
        'controller-setup',
        'expose-tcp-endpoint',
        'remove-tcp-endpoint',
      ]);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
