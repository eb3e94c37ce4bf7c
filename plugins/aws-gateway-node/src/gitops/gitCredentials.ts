import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { parseRepositoryUrl, RepositoryUrl } from '../urls/repositoryUrl';

/** HTTP basic credentials for git over HTTPS. @public */
export interface GitCredentials {
  username: string;
  password: string;
}

/** Where a repository lives, as Backstage's SCM integrations see it. @public */
export interface GitRemote {
  /** The integration type (github, gitlab, gitea, gerrit). */
  type: string;
  /** The normalised repository URL: the only address cloned, pushed to and authenticated against. */
  url: RepositoryUrl;
  credentials: GitCredentials;
  /** Browser URL of a commit. */
  commitUrl(sha: string): string;
}

/**
 * Resolves a clone URL to its SCM integration and the credentials to push
 * with, from `integrations.*` in app-config — the same credentials every
 * other scaffolder action uses. The URL goes through the one normaliser
 * (`parseRepositoryUrl`): plain HTTP is refused except on loopback, so
 * credentials never cross a network in the clear.
 *
 * @public
 */
export async function resolveGitRemote(
  integrations: ScmIntegrationRegistry,
  repoUrl: string | RepositoryUrl,
): Promise<GitRemote> {
  const url =
    typeof repoUrl === 'string'
      ? parseRepositoryUrl(repoUrl, 'repoUrl', { allowHttpLoopback: true })
      : repoUrl;
  const integration = integrations.byUrl(url.href);
  if (!integration) {
    throw new InputError(
      `repoUrl host ${url.host} has no SCM integration in app-config (integrations.github, gitlab, gitea or gerrit)`,
    );
  }
  const credentials = await credentialsFor(
    integrations,
    integration.type,
    url.href,
  );
  if (!credentials) {
    throw new InputError(
      `repoUrl: the ${integration.type} integration for ${url.host} has no credentials; set them under integrations.${integration.type} in app-config`,
    );
  }
  const web = url.href.replace(/\.git$/, '');
  const commitPath = integration.type === 'gitlab' ? '/-/commit/' : '/commit/';
  return {
    type: integration.type,
    url,
    credentials,
    commitUrl: sha => `${web}${commitPath}${sha}`,
  };
}

async function credentialsFor(
  integrations: ScmIntegrationRegistry,
  type: string,
  repoUrl: string,
): Promise<GitCredentials | undefined> {
  switch (type) {
    case 'github': {
      const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
        integrations,
      ).getCredentials({ url: repoUrl });
      return token
        ? { username: 'x-access-token', password: token }
        : undefined;
    }
    case 'gitlab': {
      const token = integrations.gitlab.byUrl(repoUrl)?.config.token;
      return token ? { username: 'oauth2', password: token } : undefined;
    }
    case 'gitea': {
      const config = integrations.gitea.byUrl(repoUrl)?.config;
      return config?.username && config.password
        ? { username: config.username, password: config.password }
        : undefined;
    }
    case 'gerrit': {
      const config = integrations.gerrit.byUrl(repoUrl)?.config;
      return config?.username && config.password
        ? { username: config.username, password: config.password }
        : undefined;
    }
    default:
      throw new InputError(
        `repoUrl: ${type} repositories are not supported for GitOps commits; use github, gitlab, gitea or gerrit`,
      );
  }
}
