import { NotFoundError } from '@backstage/errors';
import {
  AWS_GATEWAY_ACTION_ID,
  GatewayGuardrails,
  GitOpsRepository,
  validateEndpointSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import { assertAllowedRepo, GitOpsSettings } from '../gitops/gitopsSettings';
import { createAwsGatewayAction } from '../support/inputDefaults';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { manifestIssuesError } from '../support/manifestIssues';
import { checkEndpointOwnership, readCurrentEndpoint } from './currentEndpoint';
import { applyEndpointChange, endpointChangeField } from './endpointChange';
import { existingEndpointInputFields } from './existingEndpointInput';
import { examples } from './planEndpointChange.examples';

const RENDER_INPUT_KEYS = [
  'name',
  'namespace',
  'gatewayClassName',
  'listeners',
  'routes',
  'scheme',
  'sourceCidrs',
  'targetType',
  'healthCheck',
  'tags',
  'loadBalancerName',
  'entityRef',
  'kubernetesId',
] as const;

/**
 * The first step of changing an endpoint: reads its manifests from the GitOps
 * repository (hostile content: links, sizes and paths checked), requires them
 * to be exactly what `aws-gateway:endpoint:render` wrote (the portal's label on
 * each, no hand edit a re-render would lose), applies the owner rule, applies
 * the change and checks it against the guardrails — all read-only. Its
 * outputs are the render input of the changed endpoint, for
 * `aws-gateway:endpoint:render`, whose files `aws-gateway:gitops:commit`
 * then commits with `replace`.
 *
 * @public
 */
export function createPlanEndpointChangeAction(options: {
  repository: Pick<GitOpsRepository, 'readFiles'>;
  settings: GitOpsSettings;
  guardrails: GatewayGuardrails;
  ownership: InitiatorOwnership;
}) {
  const { repository, settings, guardrails, ownership } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.planEndpointChange,
    description:
      "Reads an endpoint's manifests from the GitOps repository, checks that the portal wrote them and nobody edited them since, and applies a change (listener ports, scheme, source CIDRs, backends) checked against the guardrails; outputs the changed render input. Reads only.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...existingEndpointInputFields,
        change: endpointChangeField,
      },
      output: {
        name: z => z.string(),
        namespace: z => z.string(),
        gatewayClassName: z => z.string(),
        listeners: z => z.array(z.any()),
        routes: z => z.array(z.any()),
        scheme: z => z.string(),
        sourceCidrs: z => z.array(z.string()),
        targetType: z => z.string(),
        healthCheck: z => z.any().optional(),
        tags: z => z.record(z.string()).optional(),
        loadBalancerName: z => z.string().optional(),
        entityRef: z => z.string().optional(),
        kubernetesId: z => z.string().optional(),
        controllerProfile: z =>
          z
            .string()
            .describe('The profile the current files were rendered for'),
        changes: z =>
          z.array(z.string()).describe('One line per changed value'),
        files: z =>
          z.array(z.string()).describe('Repository paths of the current files'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const repoUrl = assertAllowedRepo(input.repoUrl, settings);
      const current = await readCurrentEndpoint(repository, repoUrl, {
        namespace: input.namespace,
        name: input.name,
        branch: input.branch,
        baseBranch: input.baseBranch,
        userToken: input.token || undefined,
        signal: ctx.signal,
      });
      if (!current) {
        throw new NotFoundError(
          `Gateway ${input.namespace}/${input.name} has no manifests the portal wrote in ${input.repoUrl} (gateways/${input.namespace}/${input.name}); expose it first`,
        );
      }
      await checkEndpointOwnership(ctx, ownership, current, {
        entityRef: input.entityRef,
        cluster: input.cluster,
      });
      const { spec, changes } = applyEndpointChange(current.spec, input.change);
      const issues = validateEndpointSpec(spec, { guardrails });
      if (issues.length) {
        throw manifestIssuesError(
          `The change of Gateway ${spec.namespace}/${spec.name} is refused`,
          issues,
        );
      }
      ctx.logger.info(
        changes.length
          ? `Gateway ${spec.namespace}/${spec.name} (${current.targetPath} on ${
              current.branch
            }): ${changes.join('; ')}`
          : `Gateway ${spec.namespace}/${spec.name} already has these values; nothing to change`,
      );
      // The render input, field by field: what aws-gateway:endpoint:render takes.
      for (const key of RENDER_INPUT_KEYS) {
        if (spec[key] !== undefined) ctx.output(key, spec[key] as any);
      }
      ctx.output('controllerProfile', current.profile.id);
      ctx.output('changes', changes);
      ctx.output(
        'files',
        current.files.map(f => f.path),
      );
    },
  });
}
