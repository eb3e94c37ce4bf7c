import { CONTROLLER_SERVICE_ACCOUNT } from '../../guardrails/settings';
import { StringWithDefault, ZodImpl } from './inputDefaults';

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
