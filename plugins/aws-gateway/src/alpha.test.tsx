import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { awsGatewayApiRef } from './api';
import plugin, { entityGatewayStatusCard } from './alpha';
import {
  entity,
  entityWithoutAnnotations,
  gatewaysResponse,
} from './testing/fixtures';

describe('aws-gateway frontend plugin', () => {
  it('is a frontend plugin providing the API and the gateway status entity card', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.pluginId).toBe('aws-gateway');
    expect(plugin.getExtension('api:aws-gateway')).toBeDefined();
    expect(
      plugin.getExtension('entity-card:aws-gateway/gateway-status'),
    ).toBeDefined();
  });

  it('shows the card on entities that name Gateways or carry a Kubernetes id, in the content column', () => {
    const tester = createExtensionTester(entityGatewayStatusCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);

    expect(filter).toBeDefined();
    expect(filter!(entity)).toBe(true);
    expect(
      filter!({
        ...entityWithoutAnnotations,
        metadata: {
          ...entityWithoutAnnotations.metadata,
          annotations: { 'aws-gateway.io/gateways': 'payments/payments-gw' },
        },
      }),
    ).toBe(true);
    expect(filter!(entityWithoutAnnotations)).toBe(false);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
  });

  it('renders on an entity overview and reads the entity gateways through the API', async () => {
    const getEntityGateways = jest.fn().mockResolvedValue(gatewaysResponse());

    renderTestApp({
      // The test page takes cards attached where the catalog's overview
      // takes them, so this also checks the card's default attachment.
      extensions: [createTestEntityPage({ entity }), entityGatewayStatusCard],
      apis: [[awsGatewayApiRef, { getEntityGateways }]],
    });

    // The card is lazy-loaded: on a busy CI machine its first render takes
    // longer than findBy's default second.
    expect(
      await screen.findByRole(
        'region',
        { name: 'payments-gw' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(getEntityGateways).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'payments' },
      { refresh: false },
    );
  });
});
