import { ResponseError } from '@backstage/errors';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EndpointFormCheck,
  EndpointFormValues,
  FormGuardrails,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ComponentType } from 'react';
import { AwsGatewayFormOptionsApi, awsGatewayFormOptionsApiRef } from '../api';

/** The shipped guardrails, as the backend describes them. */
export const shippedGuardrails: FormGuardrails = {
  allowedListenerPorts: [{ from: 1024, to: 65535 }],
  internetFacingNeedsSourceCidrs: true,
  minSourceRangePrefixLength: { ipv4: 8, ipv6: 32 },
  defaultControllerProfile: 'lbc-v3.5',
};

/** A form-options API whose every method is a jest mock (reject or never-settle per test). */
export function fakeFormOptionsApi(
  overrides: Partial<AwsGatewayFormOptionsApi> = {},
): jest.Mocked<AwsGatewayFormOptionsApi> {
  return {
    getGuardrails: jest.fn(async () => shippedGuardrails),
    listClusters: jest.fn(async () => []),
    listNamespaces: jest.fn(async () => []),
    listServices: jest.fn(async () => []),
    listEndpoints: jest.fn(async () => ({ endpoints: [] })),
    listSharedGateways: jest.fn(async () => []),
    checkEndpoint: jest.fn(
      async (): Promise<EndpointFormCheck> => ({
        guardrails: shippedGuardrails,
        files: [],
        issues: [],
      }),
    ),
    ...overrides,
  } as jest.Mocked<AwsGatewayFormOptionsApi>;
}

/** A promise that never settles: the field stays loading. */
export const pending = (): Promise<never> => new Promise<never>(() => {});

/** The backend's error answer, as the client turns it into an error. */
export function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'Error',
          message,
          stack: 'Error: at secret/internal.ts:1',
        },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/**
 * Renders one field as the scaffolder's form does: its schema, the value,
 * and the whole form's values in `formContext.formData`.
 */
export async function renderField<T>(
  Field: ComponentType<FieldExtensionComponentProps<T>>,
  options: {
    api: AwsGatewayFormOptionsApi;
    title: string;
    description?: string;
    value?: T;
    form?: EndpointFormValues & Record<string, unknown>;
    required?: boolean;
    uiSchema?: object;
  },
): Promise<{ onChange: jest.Mock }> {
  const onChange = jest.fn();
  const props = {
    name: 'field',
    idSchema: { $id: 'root_field' },
    schema: { title: options.title, description: options.description },
    uiSchema: options.uiSchema ?? {},
    formData: options.value,
    formContext: { formData: options.form ?? {} },
    onChange,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    required: options.required ?? false,
    disabled: false,
    readonly: false,
    rawErrors: [],
    registry: {},
  } as unknown as FieldExtensionComponentProps<T>;
  await renderInTestApp(
    <TestApiProvider apis={[[awsGatewayFormOptionsApiRef, options.api]]}>
      <Field {...props} />
    </TestApiProvider>,
  );
  return { onChange };
}
