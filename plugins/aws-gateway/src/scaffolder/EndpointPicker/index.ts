export { EndpointPicker, endpointLabel } from './EndpointPicker';
