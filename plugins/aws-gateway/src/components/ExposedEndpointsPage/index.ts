export {
  ExposedEndpointsContent,
  ExposedEndpointsPage,
} from './ExposedEndpointsPage';
export { exposedEndpointsTranslationRef } from './translation';
export {
  EXPOSED_ENDPOINTS_PATH,
  exposedEndpointsLegacyRouteRef,
  exposedEndpointsRouteRef,
} from './routes';
