import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  isLoopbackHostname,
  parseRepositoryUrl,
  RepositoryUrl,
} from './repositoryUrl';

/** What `parseRepoUrl` (`@backstage/plugin-scaffolder-node`) reads from RepoUrlPicker's `host?owner=…&repo=…`. @public */
export interface PickedRepository {
  host: string;
  owner?: string;
  repo: string;
  organization?: string;
  workspace?: string;
  project?: string;
}

/** Whether an input is an http(s) clone URL rather than RepoUrlPicker's `host?owner=…&repo=…`, by parsing it. @public */
export function isCloneUrl(raw: string): boolean {
  if (!URL.canParse(raw)) return false;
  const { protocol } = new URL(raw);
  return protocol === 'https:' || protocol === 'http:';
}

/** The web root of a host's integration: its baseUrl, or https://host (http only for a loopback test server's API). */
function webRoot(
  integrations: ScmIntegrationRegistry,
  type: string,
  host: string,
): string {
  switch (type) {
    case 'gitlab':
      return integrations.gitlab.byHost(host)!.config.baseUrl;
    case 'gitea': {
      const config = integrations.gitea.byHost(host)!.config;
      return config.baseUrl ?? `https://${config.host}`;
    }
    default: {
      const api = integrations.github.byHost(host)?.config.apiBaseUrl;
      const plainLoopback =
        api !== undefined &&
        URL.canParse(api) &&
        new URL(api).protocol === 'http:' &&
        isLoopbackHostname(new URL(api).hostname);
      return `${plainLoopback ? 'http' : 'https'}://${host}`;
    }
  }
}

/**
 * The clone URL of a repository RepoUrlPicker chose, built from the parts
 * `parseRepoUrl` read and the host's integration, then checked by the one
 * normaliser (each part must be a plain path segment). Refuses, naming
 * `repoUrl`, a host type GitOps commits do not support and missing parts.
 *
 * @public
 */
export function cloneUrlOfPickedRepository(
  integrations: ScmIntegrationRegistry,
  picked: PickedRepository,
): RepositoryUrl {
  const type = integrations.byHost(picked.host)?.type;
  if (type === 'azure') return azureCloneUrl(picked);
  if (type !== 'github' && type !== 'gitlab' && type !== 'gitea') {
    throw new InputError(
      `repoUrl: ${picked.host} is ${
        type ? `a ${type} host` : 'not an integration host'
      }; GitOps repositories chosen with RepoUrlPicker must be on a github, gitlab, gitea or azure host`,
    );
  }
  if (!picked.owner) {
    throw new InputError(
      `repoUrl: RepoUrlPicker gave no owner for ${picked.host}; choose the repository's owner (user, organisation or group)`,
    );
  }
  const root = webRoot(integrations, type, picked.host).replace(/\/+$/, '');
  return parseRepositoryUrl(
    `${root}/${picked.owner}/${picked.repo}.git`,
    'repoUrl',
    { allowHttpLoopback: true },
  );
}

/**
 * Azure DevOps: RepoUrlPicker names the organization, the project (parseRepoUrl
 * requires it) and the repository; the clone URL is
 * `https://<host>/<organization>/<project>/_git/<repository>` (http only on
 * loopback, for a test server).
 */
function azureCloneUrl(picked: PickedRepository): RepositoryUrl {
  if (!picked.organization) {
    throw new InputError(
      `repoUrl: RepoUrlPicker gave no organization for ${picked.host}; choose the Azure DevOps organization (or collection)`,
    );
  }
  const hostname = URL.canParse(`https://${picked.host}`)
    ? new URL(`https://${picked.host}`).hostname
    : picked.host;
  const scheme = isLoopbackHostname(hostname) ? 'http' : 'https';
  return parseRepositoryUrl(
    `${scheme}://${picked.host}/${picked.organization}/${picked.project}/_git/${picked.repo}`,
    'repoUrl',
    { allowHttpLoopback: true },
  );
}
