import { repositoryInputFields } from '../gitops/gitopsSettings';
import { OptionalString, ZodImpl } from '../support/inputDefaults';

/**
 * The inputs that name an endpoint already in the GitOps repository: where
 * to read it (the branch the commit step will write, as for
 * aws-gateway:gitops:check) and the component it must belong to.
 */
export const existingEndpointInputFields = {
  ...repositoryInputFields,
  namespace: (z: ZodImpl) =>
    z
      .string()
      .describe("The Gateway's namespace (gateways/<namespace>/<name>)"),
  name: (z: ZodImpl) => z.string().describe('The Gateway name'),
  entityRef: (z: ZodImpl): OptionalString =>
    z
      .string()
      .optional()
      .describe(
        'The catalog component the endpoint must belong to (its aws-gateway.io/entity-ref); only platform engineers may leave it out',
      ),
  cluster: (z: ZodImpl): OptionalString =>
    z
      .string()
      .optional()
      .describe(
        'The cluster the endpoint runs on, for awsGateway.status.namespaceOwners entries limited to a cluster',
      ),
};
