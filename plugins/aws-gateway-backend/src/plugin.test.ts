import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import request from 'supertest';
import { componentEntity } from './__testUtils__/entities';
import { awsGatewayPlugin } from './plugin';
import { GatewayStatusService } from './service/GatewayStatusService';
import { gatewayStatusServiceRef } from './service/gatewayStatusServiceRef';

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
        data: {},
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

/** A plugin of another team that uses the status service. */
function consumerOf(received: { service?: GatewayStatusService }) {
  return createBackendPlugin({
    pluginId: 'consumer',
    register(env) {
      env.registerInit({
        deps: { service: gatewayStatusServiceRef },
        async init({ service }) {
          received.service = service;
        },
      });
    },
  });
}

describe('gatewayStatusServiceRef', () => {
  it('has a default factory that builds the service from configuration', async () => {
    const received: { service?: GatewayStatusService } = {};
    await startTestBackend({
      features: [
        consumerOf(received),
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {},
        }),
      ],
    });
    const answer = await received.service!.getEntityGateways(
      { entityRef: 'component:default/orders' },
      { credentials: mockCredentials.user() },
    );
    expect(answer).toMatchObject({
      entityRef: 'component:default/orders',
      configured: false,
      gateways: [],
      errors: [],
    });
    // The caller's view of the catalog still applies.
    await expect(
      received.service!.getEntityGateways(
        { entityRef: 'component:default/unknown' },
        { credentials: mockCredentials.user() },
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('is what the plugin serves, so a deployment can install its own', async () => {
    const canned: EntityGatewaysResponse = {
      entityRef: 'component:default/orders',
      configured: true,
      gateways: [],
      errors: [],
      fetchedAt: '2026-01-01T00:00:00.000Z',
    };
    const asked: string[] = [];
    const { server } = await startTestBackend({
      features: [
        awsGatewayPlugin,
        createServiceFactory({
          service: gatewayStatusServiceRef,
          deps: {},
          factory: (): GatewayStatusService => ({
            getEntityGateways: async ({ entityRef }) => {
              asked.push(
                typeof entityRef === 'string'
                  ? entityRef
                  : stringifyEntityRef(entityRef),
              );
              return canned;
            },
          }),
        }),
        actionsRegistryServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const res = await request(server).get(
      '/api/aws-gateway/entities/component/default/orders/gateways',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(canned);
    expect(asked).toEqual(['component:default/orders']);
  });
});
