import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { RiGlobalLine } from '@remixicon/react';
import { EXPOSED_ENDPOINTS_PATH, exposedEndpointsRouteRef } from './routes';

/**
 * The "Exposed endpoints" page at `/aws-gateway/endpoints`, with a nav item.
 *
 * @alpha
 */
export const exposedEndpointsPage = PageBlueprint.make({
  name: 'exposed-endpoints',
  params: {
    path: EXPOSED_ENDPOINTS_PATH,
    title: 'Exposed endpoints',
    icon: <RiGlobalLine />,
    routeRef: exposedEndpointsRouteRef,
    loader: () =>
      import('./ExposedEndpointsPage').then(m => <m.ExposedEndpointsContent />),
  },
});
