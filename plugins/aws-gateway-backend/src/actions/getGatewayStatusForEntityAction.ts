import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { GatewayStatus } from '@gateway-portal/plugin-aws-gateway-common';
import { GatewayStatusService } from '../service/GatewayStatusService';

/**
 * `get-gateway-status-for-entity`: the same answer as the entity card's API,
 * for agents (MCP). Read-only; the caller's own catalog visibility and
 * `aws-gateway.status.read` permission apply.
 */
export function registerGetGatewayStatusForEntityAction(options: {
  actionsRegistry: ActionsRegistryService;
  service: GatewayStatusService;
}) {
  const { actionsRegistry, service } = options;
  actionsRegistry.register({
    name: 'get-gateway-status-for-entity',
    title: 'Get AWS gateway status for an entity',
    description: `
Returns the live status of the Kubernetes Gateways (AWS Load Balancer Controller, Network Load Balancer) that belong to a catalog entity.

Gateways come from the entity's \`aws-gateway.io/gateways\` annotation, else from Gateways labelled with its \`backstage.io/kubernetes-id\`.
Per gateway: state (programmed, provisioning, error, unknown) with a reason, the public DNS name, the NLB, each listener with its routes,
the NLB listener and target groups with per-target health (mapped to pods), warnings with fixes, and errors per part (kubernetes, aws).
\`configured: false\` means no Kubernetes cluster is configured.
`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'Entity reference, e.g. "component:default/my-service" (kind defaults to Component, namespace to default).',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          configured: z
            .boolean()
            .describe('False when no Kubernetes cluster is configured.'),
          gateways: z
            .array(
              z
                .object({
                  gateway: z.object({
                    cluster: z.string(),
                    namespace: z.string(),
                    name: z.string(),
                  }),
                  state: z.string(),
                  stateReason: z.string().optional(),
                  dnsName: z.string().optional(),
                })
                .passthrough(),
            )
            .describe(
              'One entry per Gateway: state, DNS name, load balancer, listeners, target health, warnings, errors.',
            ),
          errors: z.array(
            z.object({
              part: z.string(),
              kind: z.string(),
              message: z.string(),
              cluster: z.string().optional(),
            }),
          ),
          fetchedAt: z.string(),
        }),
    },
    examples: [
      {
        title: 'Status of a component exposed through a gateway',
        input: { entityRef: 'component:default/orders' },
      },
    ],
    action: async ({ input, credentials }) => {
      let entityRef;
      try {
        entityRef = parseEntityRef(input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch (e) {
        throw new InputError(`entityRef: ${(e as Error).message}`);
      }
      const response = await service.getEntityGateways(
        { entityRef },
        { credentials },
      );
      // The output schema lets the rest of each gateway pass through as is.
      const gateways = response.gateways as Array<
        GatewayStatus & Record<string, unknown>
      >;
      return { output: { ...response, gateways } };
    },
  });
}
