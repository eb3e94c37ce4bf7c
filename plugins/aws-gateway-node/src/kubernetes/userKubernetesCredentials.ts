import { InputError, NotAllowedError } from '@backstage/errors';
import {
  KubernetesClusterAuth,
  kubernetesUserAuthHeader,
  KUBERNETES_USER_AUTH_HEADER,
} from '@gateway-portal/plugin-aws-gateway-common';
import { inspect } from 'node:util';

/**
 * Auth providers whose clusters authenticate each user with the user's own
 * token (the Kubernetes frontend's client-side providers); every other
 * provider is server-side and needs nothing from the user.
 */
const USER_TOKEN_AUTH_PROVIDERS = new Set(['oidc', 'google', 'aks']);

const HEADER_PREFIX = `${KUBERNETES_USER_AUTH_HEADER.toLowerCase()}-`;
/** Most provider tokens one request may carry. */
const MAX_TOKENS = 8;
/** A JWT with many groups stays well below this; Node's whole header limit is 16 KiB. */
const MAX_TOKEN_LENGTH = 8192;
const PROVIDER = /^[a-z0-9]{1,32}$/;
const TOKEN_PROVIDER = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
/** RFC 6750 b64token: what a bearer token may be (no space, no comma, no `Bearer ` prefix). */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * `oidc.okta`, `google`…: the Kubernetes frontend's name of a cluster's auth
 * provider (the token provider appended when there is one), lower-cased as
 * the headers arrive.
 */
function authKey(auth: KubernetesClusterAuth): string {
  return [auth.authProvider, auth.oidcTokenProvider]
    .filter(Boolean)
    .join('.')
    .toLowerCase();
}

/**
 * Whether the Kubernetes plugin authenticates requests to this cluster with
 * the user's own token rather than a credential of its own.
 *
 * @public
 */
export function clusterNeedsUserToken(auth: KubernetesClusterAuth): boolean {
  return USER_TOKEN_AUTH_PROVIDERS.has(auth.authProvider.toLowerCase());
}

/**
 * The refusal of a read of a cluster that needs the user's own token when the
 * request carried none for its auth provider: a 403 that says which sign-in
 * is missing, before anything is sent to the cluster.
 *
 * @public
 */
export function userTokenMissingError(
  cluster: KubernetesClusterAuth & { name: string },
): NotAllowedError {
  return new NotAllowedError(
    `Cluster "${
      cluster.name
    }" admits each user with their own Kubernetes credentials (auth provider ${authKey(
      cluster,
    )}), and this request carried none for it: sign in to that provider in Backstage and try again`,
  );
}

/**
 * The Kubernetes tokens one user sent with one request, by auth provider.
 * Built from that request's headers and dropped with it: never cached across
 * requests or users, never logged (it prints as its provider names only),
 * never put in a response or an error.
 *
 * @public
 */
export class UserKubernetesCredentials {
  readonly #tokens: ReadonlyMap<string, string>;

  private constructor(tokens: ReadonlyMap<string, string>) {
    this.#tokens = tokens;
  }

  /** No user token: every cluster is reached with the Kubernetes plugin's own credentials. */
  static none(): UserKubernetesCredentials {
    return new UserKubernetesCredentials(new Map());
  }

  /**
   * The `Backstage-Kubernetes-Authorization-<provider>[-<oidcTokenProvider>]`
   * headers of a request, checked: at most 8, each a single bearer token of at
   * most 8 KiB without the `Bearer ` prefix. The bare
   * `Backstage-Kubernetes-Authorization` header is refused: the proxy would
   * send it to any cluster, whatever its auth provider. InputError names the
   * header and the rule.
   */
  static fromHeaders(
    headers: Record<string, string | string[] | undefined>,
  ): UserKubernetesCredentials {
    const tokens = new Map<string, string>();
    for (const [rawName, value] of Object.entries(headers)) {
      const name = rawName.toLowerCase();
      if (name === KUBERNETES_USER_AUTH_HEADER.toLowerCase()) {
        throw new InputError(
          `${KUBERNETES_USER_AUTH_HEADER} without an auth provider is not accepted; send ${KUBERNETES_USER_AUTH_HEADER}-<authProvider>[-<oidcTokenProvider>]`,
        );
      }
      if (!name.startsWith(HEADER_PREFIX)) continue;
      const [provider, ...rest] = name.slice(HEADER_PREFIX.length).split('-');
      const tokenProvider = rest.join('-');
      if (
        !PROVIDER.test(provider) ||
        (tokenProvider && !TOKEN_PROVIDER.test(tokenProvider))
      ) {
        throw new InputError(
          `${rawName}: the auth provider must be letters and digits, and the OIDC token provider letters, digits, '.', '_' or '-'`,
        );
      }
      if (typeof value !== 'string' || !TOKEN.test(value)) {
        throw new InputError(
          `${rawName} must be one bearer token (no "Bearer " prefix, no spaces or commas), sent once`,
        );
      }
      if (value.length > MAX_TOKEN_LENGTH) {
        throw new InputError(
          `${rawName} is longer than ${MAX_TOKEN_LENGTH} characters`,
        );
      }
      tokens.set(
        authKey({ authProvider: provider, oidcTokenProvider: tokenProvider }),
        value,
      );
      if (tokens.size > MAX_TOKENS) {
        throw new InputError(
          `At most ${MAX_TOKENS} ${KUBERNETES_USER_AUTH_HEADER}-… headers are accepted in one request`,
        );
      }
    }
    return new UserKubernetesCredentials(tokens);
  }

  /** Whether no token was sent. */
  get isEmpty(): boolean {
    return this.#tokens.size === 0;
  }

  /**
   * The header that carries this user's token for `cluster` to the Kubernetes
   * plugin's proxy, named after the cluster's own auth provider (so the
   * proxy's strategy for that provider, and no other, reads it); undefined
   * when no token for it was sent.
   */
  headerFor(cluster: KubernetesClusterAuth): [string, string] | undefined {
    const token = this.#tokens.get(authKey(cluster));
    if (token === undefined) return undefined;
    return [kubernetesUserAuthHeader(cluster), token];
  }

  /** The auth providers a token was sent for (`oidc.okta`, `google`), sorted: never the tokens. */
  providers(): string[] {
    return [...this.#tokens.keys()].sort();
  }

  toJSON(): { providers: string[] } {
    return { providers: this.providers() };
  }

  [inspect.custom](): string {
    return `UserKubernetesCredentials(${this.providers().join(', ')})`;
  }
}
