export { ServicePortPicker } from './ServicePortPicker';
