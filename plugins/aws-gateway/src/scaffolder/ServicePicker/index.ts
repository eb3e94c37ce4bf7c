export { ServicePicker, servicePortLabel, useServices } from './ServicePicker';
