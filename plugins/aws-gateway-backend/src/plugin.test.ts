import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { componentEntity } from './__testUtils__/entities';
import { awsGatewayPlugin } from './plugin';

const entity = componentEntity('orders', {
  'aws-gateway.io/gateways': 'shop/orders',
});

async function start(options: { deny?: boolean } = {}) {
  const auditor = mockServices.auditor.mock();
  const events: Array<{ eventId: string; outcome?: string }> = [];
  auditor.createEvent.mockImplementation(async opts => {
    const event = {
      eventId: opts.eventId,
      outcome: undefined as string | undefined,
    };
    events.push(event);
    return {
      success: async () => {
        event.outcome = 'success';
      },
      fail: async () => {
        event.outcome = 'fail';
      },
    };
  });
  const actionsRegistry = actionsRegistryServiceMock();
  const { server } = await startTestBackend({
    features: [
      awsGatewayPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      // Denies only the status permission: the entity itself stays readable.
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              options.deny && r.permission.name === 'aws-gateway.status.read'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      auditor.factory,
      actionsRegistryServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [{ type: 'config', clusters: [] }],
          },
        },
      }),
    ],
  });
  return { server, events, actionsRegistry };
}

describe('aws-gateway backend plugin', () => {
  it('answers configured: false when no cluster is configured, and audits the read', async () => {
    const { server, events } = await start();
    const res = await request(server).get(
      '/api/aws-gateway/entities/component/default/orders/gateways',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/orders',
      configured: false,
      gateways: [],
      errors: [],
    });
    expect(events).toEqual([
      { eventId: 'gateway-status-read', outcome: 'success' },
    ]);
  });

  it('is 404 for an entity the user cannot see', async () => {
    const { server, events } = await start();
    const res = await request(server).get(
      '/api/aws-gateway/entities/component/default/unknown/gateways',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
    expect(events).toEqual([
      { eventId: 'gateway-status-read', outcome: 'fail' },
    ]);
  });

  it('is 403 without aws-gateway.status.read', async () => {
    const { server } = await start({ deny: true });
    const res = await request(server).get(
      '/api/aws-gateway/entities/component/default/orders/gateways',
    );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('is 400 for bad parameters', async () => {
    const { server } = await start();
    const badName = await request(server).get(
      '/api/aws-gateway/entities/component/default/or%20ders/gateways',
    );
    expect(badName.status).toBe(400);
    expect(badName.body.error.name).toBe('InputError');
    const badQuery = await request(server).get(
      '/api/aws-gateway/entities/component/default/orders/gateways?refresh=yes',
    );
    expect(badQuery.status).toBe(400);
  });

  it('is 401 without credentials', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/aws-gateway/entities/component/default/orders/gateways')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
