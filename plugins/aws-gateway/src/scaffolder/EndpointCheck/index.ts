export {
  CHECK_DEBOUNCE_MS,
  checkValue,
  EndpointCheck,
  endpointValues,
} from './EndpointCheck';
export type { EndpointCheckValue } from './EndpointCheck';
export { validateEndpointCheck } from './validation';
