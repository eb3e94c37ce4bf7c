import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { awsGatewayApiRef } from './api';
import { awsGatewayPlugin, EntityAwsGatewayCard } from './plugin';
import { awsGatewayFormOptionsApiRef } from './scaffolder/api';
import { entity, gatewaysResponse } from './testing/fixtures';

describe('legacy aws-gateway plugin', () => {
  it('provides a factory for each API (status, form options)', () => {
    const factories = Array.from(awsGatewayPlugin.getApis());
    expect(factories.map(factory => factory.api.id)).toEqual([
      awsGatewayApiRef.id,
      awsGatewayFormOptionsApiRef.id,
    ]);
  });

  it('lazily renders the gateway status card', async () => {
    const getEntityGateways = jest.fn().mockResolvedValue(gatewaysResponse());

    await renderInTestApp(
      <TestApiProvider apis={[[awsGatewayApiRef, { getEntityGateways }]]}>
        <EntityProvider entity={entity}>
          <EntityAwsGatewayCard />
        </EntityProvider>
      </TestApiProvider>,
    );

    expect(
      await screen.findByRole('region', { name: 'payments-gw' }),
    ).toBeInTheDocument();
  });
});
