import { Config } from '@backstage/config';
import {
  GitIdentity,
  RepositoryUrl,
  RepositoryUrlAllowList,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  OptionalString,
  StringWithDefault,
  ZodImpl,
} from '../support/inputDefaults';

const ALLOWED_REPO_URLS = 'awsGateway.provisioning.gitops.allowedRepoUrls';

/** Where the GitOps actions may read and push, from `awsGateway.provisioning.gitops`. @public */
export interface GitOpsSettings {
  /** Parsed allow-list: exact URLs, `*` within a segment, or a final `/*` for anything below; anything else is refused. */
  allowedRepos: RepositoryUrlAllowList;
  committer: GitIdentity;
}

/** Reads the settings once at startup; a malformed allow-list entry fails the backend. @public */
export function readGitOpsSettings(config: Config): GitOpsSettings {
  const gitops = config.getOptionalConfig('awsGateway.provisioning.gitops');
  return {
    allowedRepos: RepositoryUrlAllowList.fromStrings(
      gitops?.getOptionalStringArray('allowedRepoUrls') ?? [],
      ALLOWED_REPO_URLS,
    ),
    committer: {
      name: gitops?.getOptionalString('committer.name') ?? 'Backstage',
      email:
        gitops?.getOptionalString('committer.email') ?? 'backstage@localhost',
    },
  };
}

/**
 * Normalises `repoUrl` with the one URL normaliser and refuses it, naming the
 * field and the rule, unless configuration allows it. Callers use the
 * returned canonical URL from then on, never the raw input.
 */
export function assertAllowedRepo(
  repoUrl: string,
  settings: GitOpsSettings,
): RepositoryUrl {
  return settings.allowedRepos.check(repoUrl, 'repoUrl');
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
} = {
  repoUrl: z =>
    z
      .string()
      .describe(
        'HTTPS clone URL of the GitOps repository; must be allowed by awsGateway.provisioning.gitops.allowedRepoUrls',
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
