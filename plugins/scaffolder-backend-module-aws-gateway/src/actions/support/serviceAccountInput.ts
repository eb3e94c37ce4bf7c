import { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import { CONTROLLER_SERVICE_ACCOUNT } from '../../guardrails/settings';

/** The zod the scaffolder hands to each input field. */
type ZodImpl = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];
type StringWithDefault = ReturnType<ReturnType<ZodImpl['string']>['default']>;

/**
 * The Pod Identity subject, the same two input fields in every action that
 * takes one (role, association, plan), defaulting to the controller's.
 */
export const serviceAccountInputFields: Record<
  'namespace' | 'serviceAccount',
  (z: ZodImpl) => StringWithDefault
> = {
  namespace: (z: ZodImpl) =>
    z
      .string()
      .default(CONTROLLER_SERVICE_ACCOUNT.namespace)
      .describe('Namespace of the Pod Identity service account'),
  serviceAccount: (z: ZodImpl) =>
    z
      .string()
      .default(CONTROLLER_SERVICE_ACCOUNT.name)
      .describe('Name of the Pod Identity service account'),
};
