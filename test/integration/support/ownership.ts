/**
 * The endpoint ownership rule as the development profile configures it (no
 * `awsGateway.permissions.platformTeams`): not enforced, so the user and the
 * catalog are never read.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { InitiatorOwnership } from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';

export function ownershipRuleOff(): InitiatorOwnership {
  return InitiatorOwnership.fromConfig(new ConfigReader({}), {
    userInfo: mockServices.userInfo(),
    catalog: catalogServiceMock(),
  });
}
