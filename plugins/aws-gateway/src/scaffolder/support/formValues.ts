import { EndpointFormValues } from '@gateway-portal/plugin-aws-gateway-common';

/** The whole form's values so far, which the scaffolder passes to every field. */
export function formValuesOf(formContext: unknown): EndpointFormValues {
  const data = (formContext as { formData?: unknown } | undefined)?.formData;
  return data && typeof data === 'object' ? (data as EndpointFormValues) : {};
}
