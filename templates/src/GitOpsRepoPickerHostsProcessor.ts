import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import { RepositoryUrlAllowList } from '@gateway-portal/plugin-aws-gateway-node';

/** Steps of these actions read and push the repository the picker chose. */
const GITOPS_ACTION_PREFIX = 'aws-gateway:gitops:';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usesGitOpsActions(spec: JsonObject): boolean {
  return (
    Array.isArray(spec.steps) &&
    spec.steps.some(
      step =>
        isObject(step) &&
        typeof step.action === 'string' &&
        step.action.startsWith(GITOPS_ACTION_PREFIX),
    )
  );
}

/** Fills `allowedHosts` of each RepoUrlPicker field that names none; true when one was filled. */
function fillPickerHosts(parameters: unknown, hosts: string[]): boolean {
  let filled = false;
  for (const form of Array.isArray(parameters) ? parameters : [parameters]) {
    if (!isObject(form) || !isObject(form.properties)) continue;
    for (const field of Object.values(form.properties)) {
      if (!isObject(field) || field['ui:field'] !== 'RepoUrlPicker') continue;
      const options = isObject(field['ui:options']) ? field['ui:options'] : {};
      if (options.allowedHosts !== undefined) continue;
      field['ui:options'] = { ...options, allowedHosts: [...hosts] };
      filled = true;
    }
  }
  return filled;
}

/**
 * Makes RepoUrlPicker offer the hosts the GitOps guardrail allows: in a
 * Template whose steps run this suite's GitOps actions, a RepoUrlPicker field
 * without `allowedHosts` gets the hosts of
 * `awsGateway.provisioning.gitops.allowedRepoUrls` that have an SCM
 * integration (the picker lists no host without `allowedHosts`). The actions
 * still check the chosen repository against that list; a field that names its
 * own `allowedHosts` is left as written.
 *
 * @public
 */
export class GitOpsRepoPickerHostsProcessor implements CatalogProcessor {
  static fromConfig(config: Config): GitOpsRepoPickerHostsProcessor {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GitOpsRepoPickerHostsProcessor(
      RepositoryUrlAllowList.fromGitOpsConfig(config)
        .hosts()
        .filter(host => integrations.byHost(host) !== undefined),
    );
  }

  constructor(private readonly hosts: string[]) {}

  getProcessorName(): string {
    return 'AwsGatewayGitOpsRepoPickerHostsProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (
      entity.kind !== 'Template' ||
      !this.hosts.length ||
      !isObject(entity.spec) ||
      !usesGitOpsActions(entity.spec)
    ) {
      return entity;
    }
    const copy = structuredClone(entity);
    return fillPickerHosts(copy.spec!.parameters, this.hosts) ? copy : entity;
  }
}
