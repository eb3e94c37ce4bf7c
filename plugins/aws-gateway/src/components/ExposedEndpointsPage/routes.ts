import { createRouteRef } from '@backstage/frontend-plugin-api';
import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';

/** The "Exposed endpoints" page, new frontend system. @alpha */
export const exposedEndpointsRouteRef = createRouteRef();

/** The "Exposed endpoints" page, legacy frontend system. @public */
export const exposedEndpointsLegacyRouteRef = createLegacyRouteRef({
  id: 'aws-gateway:exposed-endpoints',
});

/** Where the page is mounted by default. */
export const EXPOSED_ENDPOINTS_PATH = '/aws-gateway/endpoints';
