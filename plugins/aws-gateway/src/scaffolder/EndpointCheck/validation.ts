import { translationApiRef } from '@backstage/frontend-plugin-api';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { awsGatewayTranslationRef } from '../../translation';
import { kubernetesUserTokensOf } from '../../hooks/useKubernetesUserTokens';
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
    const check = await api.checkEndpoint(endpointValues(context.formData), {
      kubernetesTokens: kubernetesUserTokensOf(context.apiHolder),
    });
    for (const issue of check.issues) validation.addError(issue.message);
  } catch (error) {
    // Validators run outside React: the texts come from the translation API.
    const translation = context.apiHolder.get(translationApiRef);
    validation.addError(
      translation
        ? formErrorMessage(
            error as Error,
            translation.getTranslation(awsGatewayTranslationRef).t,
          )
        : (error as Error).message,
    );
  }
};
