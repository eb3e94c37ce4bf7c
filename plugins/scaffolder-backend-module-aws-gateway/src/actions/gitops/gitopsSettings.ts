import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { GitIdentity } from '@gateway-portal/plugin-aws-gateway-node';

/** Where the GitOps actions may read and push, from `awsGateway.provisioning.gitops`. @public */
export interface GitOpsSettings {
  /** Exact clone URLs or prefixes ending in `*`; anything else is refused. */
  allowedRepoUrls: string[];
  committer: GitIdentity;
}

/** @public */
export function readGitOpsSettings(config: Config): GitOpsSettings {
  const gitops = config.getOptionalConfig('awsGateway.provisioning.gitops');
  return {
    allowedRepoUrls: gitops?.getOptionalStringArray('allowedRepoUrls') ?? [],
    committer: {
      name: gitops?.getOptionalString('committer.name') ?? 'Backstage',
      email: gitops?.getOptionalString('committer.email') ?? 'backstage@localhost',
    },
  };
}

export function isAllowedRepo(repoUrl: string, allowed: string[]): boolean {
  return allowed.some(pattern =>
    pattern.endsWith('*') ? repoUrl.startsWith(pattern.slice(0, -1)) : repoUrl === pattern,
  );
}

/** Refuses a repository the configuration does not allow, naming the field and the rule. */
export function assertAllowedRepo(repoUrl: string, settings: GitOpsSettings): void {
  if (!isAllowedRepo(repoUrl, settings.allowedRepoUrls)) {
    throw new NotAllowedError(
      `repoUrl: "${repoUrl}" is not allowed; it must be listed in awsGateway.provisioning.gitops.allowedRepoUrls`,
    );
  }
}

/** How the GitOps actions describe their `repoUrl` input: the rule, stated once. */
export const REPO_URL_DESCRIPTION =
  'HTTPS clone URL of the GitOps repository; must be allowed by awsGateway.provisioning.gitops.allowedRepoUrls';
