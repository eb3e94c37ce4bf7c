import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { awsGatewayFormOptionsApiRef } from '../api';
import { formErrorMessage } from '../support/formError';
import { EndpointCheckValue, endpointValues } from './EndpointCheck';

/**
 * Blocks "Next" while the backend finds something to change, with the
 * backend's words; the same rules run again on the server when the task runs.
 */
export const validateEndpointCheck: CustomFieldValidator<
  EndpointCheckValue
> = async (_value, validation, context) => {
  const api = context.apiHolder.get(awsGatewayFormOptionsApiRef);
  if (!api) return;
  try {
    const check = await api.checkEndpoint(endpointValues(context.formData));
    for (const issue of check.issues) validation.addError(issue.message);
  } catch (error) {
    validation.addError(formErrorMessage(error as Error));
  }
};
