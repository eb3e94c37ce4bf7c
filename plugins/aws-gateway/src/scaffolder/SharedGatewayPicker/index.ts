export {
  SharedGatewayPicker,
  sharedGatewayLabel,
  describeFreePorts,
} from './SharedGatewayPicker';
