import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { awsGatewayPlugin } from '../plugin';
import { ClusterPicker } from './ClusterPicker';
import { EndpointCheck, validateEndpointCheck } from './EndpointCheck';
import { EndpointPicker } from './EndpointPicker';
import { AWS_GATEWAY_FIELD_NAMES } from './fieldNames';
import { NamespacePicker } from './NamespacePicker';
import { ServicePicker } from './ServicePicker';
import { ServicePortPicker } from './ServicePortPicker';
import { SharedGatewayPicker } from './SharedGatewayPicker';

// Provided by this plugin rather than by the scaffolder's, so that a legacy
// app that uses a field also gets the form-options API the field reads.

/**
 * Legacy frontend system: put inside `<ScaffolderFieldExtensions>` of the
 * scaffolder route. Lists the clusters endpoints may use, with the detected
 * controller profile.
 *
 * @public
 */
export const AwsGatewayClusterPickerFieldExtension = awsGatewayPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_GATEWAY_FIELD_NAMES.cluster,
    component: ClusterPicker,
  }),
);

/** Legacy frontend system: the namespaces the user may use. @public */
export const AwsGatewayNamespacePickerFieldExtension = awsGatewayPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_GATEWAY_FIELD_NAMES.namespace,
    component: NamespacePicker,
  }),
);

/** Legacy frontend system: the Services of the chosen namespace. @public */
export const AwsGatewayServicePickerFieldExtension = awsGatewayPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_GATEWAY_FIELD_NAMES.service,
    component: ServicePicker,
  }),
);

/** Legacy frontend system: the ports of the chosen Service. @public */
export const AwsGatewayServicePortPickerFieldExtension =
  awsGatewayPlugin.provide(
    createScaffolderFieldExtension({
      name: AWS_GATEWAY_FIELD_NAMES.servicePort,
      component: ServicePortPicker,
    }),
  );

/** Legacy frontend system: the rules, profile and files, checked before submit. @public */
export const AwsGatewayEndpointCheckFieldExtension = awsGatewayPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_GATEWAY_FIELD_NAMES.endpointCheck,
    component: EndpointCheck,
    validation: validateEndpointCheck,
  }),
);

/** Legacy frontend system: the shared Gateways and their free ports. @public */
export const AwsGatewaySharedGatewayPickerFieldExtension =
  awsGatewayPlugin.provide(
    createScaffolderFieldExtension({
      name: AWS_GATEWAY_FIELD_NAMES.sharedGateway,
      component: SharedGatewayPicker,
    }),
  );

/** Legacy frontend system: a component's live endpoints, for the change and remove templates. @public */
export const AwsGatewayEndpointPickerFieldExtension = awsGatewayPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_GATEWAY_FIELD_NAMES.endpoint,
    component: EndpointPicker,
  }),
);
