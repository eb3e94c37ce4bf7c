import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { registerGetGatewayStatusForEntityAction } from './getGatewayStatusForEntityAction';

describe('get-gateway-status-for-entity', () => {
  const response: EntityGatewaysResponse = {
    entityRef: 'component:default/orders',
    configured: true,
    gateways: [
      {
        gateway: { cluster: 'dev', namespace: 'shop', name: 'orders' },
        gatewayClassName: 'aws-nlb',
        state: 'programmed',
        dnsName: 'k8s-shop-orders-0123456789.elb.us-west-2.amazonaws.com',
        listeners: [],
        warnings: [],
        errors: [],
      },
    ],
    errors: [],
    fetchedAt: '2026-01-01T00:00:00.000Z',
  };

  it('is read-only and returns the service answer for the caller', async () => {
    const registry = actionsRegistryServiceMock();
    const service = { getEntityGateways: jest.fn(async () => response) };
    registerGetGatewayStatusForEntityAction({
      actionsRegistry: registry,
      service,
    });
    const action = [...registry.actions.values()].find(
      a => a.name === 'get-gateway-status-for-entity',
    )!;
    expect(action.attributes).toMatchObject({
      readOnly: true,
      idempotent: true,
    });

    const credentials = mockCredentials.user('user:default/ana');
    const result = await registry.invoke({
      id: 'test:get-gateway-status-for-entity',
      input: { entityRef: 'orders' },
      credentials,
    });
    expect(result.output).toEqual(response);
    expect(service.getEntityGateways).toHaveBeenCalledWith(
      {
        entityRef: { kind: 'component', namespace: 'default', name: 'orders' },
      },
      { credentials },
    );
  });

  it('rejects a malformed entity ref', async () => {
    const registry = actionsRegistryServiceMock();
    const service = { getEntityGateways: jest.fn() };
    registerGetGatewayStatusForEntityAction({
      actionsRegistry: registry,
      service,
    });
    await expect(
      registry.invoke({
        id: 'test:get-gateway-status-for-entity',
        input: { entityRef: 'component:default/' },
      }),
    ).rejects.toThrow(/entityRef/);
    expect(service.getEntityGateways).not.toHaveBeenCalled();
  });
});
