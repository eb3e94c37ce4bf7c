import { InputError } from '@backstage/errors';
import {
  DefaultAzureDevOpsCredentialsProvider,
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { parseRepositoryUrl, RepositoryUrl } from '../urls/repositoryUrl';

/**
 * Credentials for git over HTTPS and the host's API: HTTP basic, or with
 * `bearer` the password is an OAuth bearer token (Azure DevOps' Microsoft
 * Entra tokens, which it takes only in an `Authorization: Bearer` header).
 * @public
 */
export interface GitCredentials {
  username: string;
  password: string;
  bearer?: boolean;
}

/**
 * Whose credentials a remote uses: the SCM integration's (the portal's), or
 * the token the user signed in with (RepoUrlPicker's `requestUserCredentials`),
 * given as the action's `token` input. @public
 */
export type CredentialSource = 'integration' | 'user';

/**
 * How messages name a remote's credentials and the input to fix when they
 * are refused: the one place for that wording.
 */
export function credentialsWording(source: CredentialSource): {
  field: 'repoUrl' | 'token';
  whose: string;
} {
  return source === 'user'
    ? { field: 'token', whose: "the user's token" }
    : { field: 'repoUrl', whose: "the integration's credentials" };
}

/** Where a repository lives, as Backstage's SCM integrations see it. @public */
export interface GitRemote {
  /** The integration type (github, gitlab, gitea, azure, gerrit). */
  type: string;
  /** The normalised repository URL: the only address cloned, pushed to and authenticated against. */
  url: RepositoryUrl;
  credentials: GitCredentials;
  /** Whose they are; a user's token is never replaced by the integration's when refused. */
  source: CredentialSource;
  /** Browser URL of a commit. */
  commitUrl(sha: string): string;
}

/**
 * Resolves a clone URL to its SCM integration and the credentials to push
 * with, from `integrations.*` in app-config — the same credentials every
 * other scaffolder action uses. The URL goes through the one normaliser
 * (`parseRepositoryUrl`): plain HTTP is refused except on loopback, so
 * credentials never cross a network in the clear. With `userToken`, the
 * user's token is the only credential used: the integration's are not read.
 *
 * @public
 */
export async function resolveGitRemote(
  integrations: ScmIntegrationRegistry,
  repoUrl: string | RepositoryUrl,
  options: { userToken?: string } = {},
): Promise<GitRemote> {
  const url =
    typeof repoUrl === 'string'
      ? parseRepositoryUrl(repoUrl, 'repoUrl', { allowHttpLoopback: true })
      : repoUrl;
  const integration = integrations.byUrl(url.href);
  if (!integration) {
    throw new InputError(
      `repoUrl host ${url.host} has no SCM integration in app-config (integrations.github, gitlab, gitea, azure or gerrit)`,
    );
  }
  const { userToken } = options;
  const credentials =
    userToken !== undefined
      ? userCredentials(integration.type, userToken)
      : await credentialsFor(integrations, integration.type, url.href);
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
    source: userToken !== undefined ? 'user' : 'integration',
    commitUrl: sha => `${web}${commitPath}${sha}`,
  };
}

/**
 * Git-over-HTTPS credentials for a user's OAuth or personal access token, as
 * each host takes them (GitHub: x-access-token, GitLab: oauth2, Gitea: any
 * user name with the token as password; Azure DevOps: the Microsoft Entra
 * token the user signed in with, as a bearer token).
 */
function userCredentials(type: string, token: string): GitCredentials {
  if (!token || /[\s:]/.test(token)) {
    // Never echo the value: it is a secret.
    throw new InputError(
      'token: must be a non-empty token without spaces or colons (the one RepoUrlPicker asked the user for)',
    );
  }
  const username: Record<string, string> = {
    github: 'x-access-token',
    gitlab: 'oauth2',
    gitea: 'oauth2',
    azure: 'oauth2',
  };
  if (!username[type]) {
    throw new InputError(
      `token: user credentials are supported for github, gitlab, gitea and azure repositories, not ${type}; leave token empty to use the integration's credentials`,
    );
  }
  return {
    username: username[type],
    password: token,
    ...(type === 'azure' ? { bearer: true } : {}),
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
    case 'azure': {
      // A personal access token, or a Microsoft Entra token (service principal, managed identity).
      const found =
        await DefaultAzureDevOpsCredentialsProvider.fromIntegrations(
          integrations,
        ).getCredentials({ url: repoUrl });
      if (!found?.token) return undefined;
      return found.type === 'pat'
        ? { username: 'pat', password: found.token }
        : { username: 'oauth2', password: found.token, bearer: true };
    }
    case 'gerrit': {
      const config = integrations.gerrit.byUrl(repoUrl)?.config;
      return config?.username && config.password
        ? { username: config.username, password: config.password }
        : undefined;
    }
    default:
      throw new InputError(
        `repoUrl: ${type} repositories are not supported for GitOps commits; use github, gitlab, gitea, azure or gerrit`,
      );
  }
}
