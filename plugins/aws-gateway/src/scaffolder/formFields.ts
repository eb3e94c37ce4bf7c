import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ClusterPicker } from './ClusterPicker';
import { EndpointCheck, validateEndpointCheck } from './EndpointCheck';
import { EndpointPicker } from './EndpointPicker';
import { AWS_GATEWAY_FIELD_NAMES } from './fieldNames';
import { NamespacePicker } from './NamespacePicker';
import { ServicePicker } from './ServicePicker';
import { ServicePortPicker } from './ServicePortPicker';
import { SharedGatewayPicker } from './SharedGatewayPicker';

/**
 * The field extensions for the new frontend system, loaded when the
 * scaffolder asks for them (see `alpha.tsx`).
 */
export const clusterPickerField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.cluster,
  component: ClusterPicker,
});
export const namespacePickerField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.namespace,
  component: NamespacePicker,
});
export const servicePickerField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.service,
  component: ServicePicker,
});
export const servicePortPickerField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.servicePort,
  component: ServicePortPicker,
});
export const endpointCheckField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.endpointCheck,
  component: EndpointCheck,
  validation: validateEndpointCheck,
});
export const sharedGatewayPickerField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.sharedGateway,
  component: SharedGatewayPicker,
});
export const endpointPickerField = createFormField({
  name: AWS_GATEWAY_FIELD_NAMES.endpoint,
  component: EndpointPicker,
});
