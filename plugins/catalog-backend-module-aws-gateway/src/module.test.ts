import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogModuleAwsGatewayEntities } from './module';
import { AwsGatewayEntityProvider } from './provider/AwsGatewayEntityProvider';

describe('catalogModuleAwsGatewayEntities', () => {
  it('adds the provider and schedules it from configuration', async () => {
    const addEntityProvider = jest.fn();
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        catalogModuleAwsGatewayEntities,
        catalogServiceMock.factory(),
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            awsGateway: {
              catalog: {
                schedule: {
                  frequency: { minutes: 5 },
                  timeout: { seconds: 50 },
                },
                defaultOwner: 'platform-team',
              },
            },
          },
        }),
      ],
    });
    expect(addEntityProvider).toHaveBeenCalledWith(
      expect.any(AwsGatewayEntityProvider),
    );
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { minutes: 5 },
      timeout: { seconds: 50 },
    });
  });

  it('refuses a default owner that is no entity ref at startup', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [catalogProcessingExtensionPoint, { addEntityProvider: jest.fn() }],
        ],
        features: [
          catalogModuleAwsGatewayEntities,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: { awsGateway: { catalog: { defaultOwner: 'group:' } } },
          }),
        ],
      }),
    ).rejects.toThrow(/awsGateway\.catalog\.defaultOwner/);
  });
});
