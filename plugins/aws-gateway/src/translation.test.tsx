import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { awsGatewayApiRef } from './api';
import { awsGatewayTranslationRef } from './alpha';
import { GatewayStatusCard } from './components/GatewayStatusCard';
import { entity, gatewaysResponse } from './testing/fixtures';

describe('awsGatewayTranslationRef', () => {
  it('lets an app override a message of the card, as adopters do in their app module', async () => {
    const overrides = createFrontendModule({
      pluginId: 'app',
      extensions: [
        TranslationBlueprint.make({
          name: 'aws-gateway-texts',
          params: {
            resource: createTranslationMessages({
              ref: awsGatewayTranslationRef,
              messages: {
                'card.title': 'Public endpoints',
                'gateway.state.programmed': 'Ready',
              },
            }),
          },
        }),
      ],
    });

    renderInTestApp(
      <EntityProvider entity={entity}>
        <GatewayStatusCard />
      </EntityProvider>,
      {
        features: [overrides],
        apis: [
          [
            awsGatewayApiRef,
            {
              getEntityGateways: jest
                .fn()
                .mockResolvedValue(gatewaysResponse()),
            },
          ],
        ],
      },
    );

    expect(
      await screen.findByRole('heading', { name: 'Public endpoints' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Ready')).toBeInTheDocument();
    expect(screen.queryByText('AWS gateways')).not.toBeInTheDocument();
    expect(screen.queryByText('Programmed')).not.toBeInTheDocument();
    // Messages the app does not override keep their defaults.
    expect(screen.getByText('DNS name')).toBeInTheDocument();
  });
});
