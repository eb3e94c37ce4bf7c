import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import {
  cloneUrlOfPickedRepository,
  GitIdentity,
  isCloneUrl,
  RepositoryUrl,
  RepositoryUrlAllowList,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  OptionalString,
  StringWithDefault,
  ZodImpl,
} from '../support/inputDefaults';

/** Where the GitOps actions may read and push, from `awsGateway.provisioning.gitops`. @public */
export interface GitOpsSettings {
  /** Parsed allow-list: exact URLs, `*` within a segment, or a final `/*` for anything below; anything else is refused. */
  allowedRepos: RepositoryUrlAllowList;
  committer: GitIdentity;
  /** The SCM integrations, to read RepoUrlPicker's `host?owner=…&repo=…`. */
  integrations: ScmIntegrationRegistry;
}

/** Reads the settings once at startup; a malformed allow-list entry fails the backend. @public */
export function readGitOpsSettings(config: Config): GitOpsSettings {
  const gitops = config.getOptionalConfig('awsGateway.provisioning.gitops');
  return {
    allowedRepos: RepositoryUrlAllowList.fromGitOpsConfig(config),
    committer: {
      name: gitops?.getOptionalString('committer.name') ?? 'Backstage',
      email:
        gitops?.getOptionalString('committer.email') ?? 'backstage@localhost',
    },
    integrations: ScmIntegrations.fromConfig(config),
  };
}

/**
 * Normalises `repoUrl` — a clone URL, or RepoUrlPicker's
 * `host?owner=…&repo=…` read by Backstage's `parseRepoUrl` and turned into
 * the host's clone URL — with the one URL normaliser, and refuses it, naming
 * the field and the rule, unless configuration allows it: the picker's
 * `allowedHosts` is only the form's help, this is the guardrail. Callers use
 * the returned canonical URL from then on, never the raw input.
 */
export function assertAllowedRepo(
  repoUrl: string,
  settings: GitOpsSettings,
): RepositoryUrl {
  if (isCloneUrl(repoUrl))
    return settings.allowedRepos.check(repoUrl, 'repoUrl');
  let picked;
  try {
    picked = parseRepoUrl(repoUrl, settings.integrations);
  } catch (error) {
    throw new InputError(
      `repoUrl: ${
        (error as Error).message
      }; give an https clone URL or RepoUrlPicker's host?owner=<owner>&repo=<repo>`,
    );
  }
  return settings.allowedRepos.checkUrl(
    cloneUrlOfPickedRepository(settings.integrations, picked),
    'repoUrl',
  );
}

/** How the GitOps actions describe their `repoUrl` input: the rule, stated once. */
/**
 * The repository and branch inputs of gitops:check and gitops:commit: one
 * definition, so the check looks at the branch the commit will write to.
 */
export const repositoryInputFields: {
  repoUrl: (z: ZodImpl) => ReturnType<ZodImpl['string']>;
  branch: (z: ZodImpl) => StringWithDefault;
  baseBranch: (z: ZodImpl) => OptionalString;
  token: (z: ZodImpl) => OptionalString;
} = {
  token: z =>
    z
      .string()
      .optional()
      .describe(
        "The user's own token for the repository's host, from RepoUrlPicker's requestUserCredentials (${{ secrets.<secretsKey> }}): read, push and open the pull request as the user. Refused, the task fails naming token and the integration's credentials are not tried. Never logged nor returned",
      ),
  repoUrl: z =>
    z
      .string()
      .describe(
        "The GitOps repository: RepoUrlPicker's host?owner=<owner>&repo=<repo>, or its HTTPS clone URL; must be allowed by awsGateway.provisioning.gitops.allowedRepoUrls",
      ),
  branch: z =>
    z
      .string()
      .default('main')
      .describe('Branch to commit to; created from baseBranch when missing'),
  baseBranch: z =>
    z
      .string()
      .optional()
      .describe(
        'Where a new branch starts; default the repository default branch',
      ),
};
