import { InputError } from '@backstage/errors';
import { inspect } from 'node:util';
import {
  clusterNeedsUserToken,
  UserKubernetesCredentials,
} from './userKubernetesCredentials';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('UserKubernetesCredentials', () => {
  it("reads the Kubernetes plugin's per-provider headers and names each cluster's own", () => {
    const credentials = UserKubernetesCredentials.fromHeaders({
      authorization: 'Bearer backstage-token',
      'backstage-kubernetes-authorization-oidc-okta': JWT,
      'backstage-kubernetes-authorization-google': 'ya29.a0AfH6SM-token',
      'content-type': 'application/json',
    });
    expect(credentials.isEmpty).toBe(false);
    expect(credentials.providers()).toEqual(['google', 'oidc.okta']);
    expect(
      credentials.headerFor({
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
      }),
    ).toEqual(['Backstage-Kubernetes-Authorization-oidc-okta', JWT]);
    expect(credentials.headerFor({ authProvider: 'google' })).toEqual([
      'Backstage-Kubernetes-Authorization-google',
      'ya29.a0AfH6SM-token',
    ]);
    // Another OIDC provider, or a server-side provider: not this token.
    expect(
      credentials.headerFor({
        authProvider: 'oidc',
        oidcTokenProvider: 'gitlab',
      }),
    ).toBeUndefined();
    expect(credentials.headerFor({ authProvider: 'aws' })).toBeUndefined();
    expect(UserKubernetesCredentials.fromHeaders({}).isEmpty).toBe(true);
  });

  it('never shows a token when logged or serialised', () => {
    const credentials = UserKubernetesCredentials.fromHeaders({
      'backstage-kubernetes-authorization-oidc-okta': JWT,
    });
    for (const shown of [
      JSON.stringify({ credentials }),
      inspect(credentials, { depth: 5, showHidden: true }),
      String(credentials),
      JSON.stringify(Object.entries(credentials)),
    ]) {
      expect(shown).not.toContain(JWT);
    }
    expect(JSON.stringify(credentials)).toBe('{"providers":["oidc.okta"]}');
  });

  it.each([
    [
      'the bare header (the proxy would send it to every cluster)',
      { 'backstage-kubernetes-authorization': `Bearer ${JWT}` },
      'Backstage-Kubernetes-Authorization without an auth provider is not accepted',
    ],
    [
      'a "Bearer " prefix',
      { 'backstage-kubernetes-authorization-oidc-okta': `Bearer ${JWT}` },
      'backstage-kubernetes-authorization-oidc-okta must be one bearer token',
    ],
    [
      'a header sent twice (joined with a comma)',
      { 'backstage-kubernetes-authorization-google': `${JWT}, ${JWT}` },
      'must be one bearer token',
    ],
    [
      'a header line injection attempt',
      { 'backstage-kubernetes-authorization-google': `${JWT}\r\nX-Evil: 1` },
      'must be one bearer token',
    ],
    [
      'an oversized token',
      { 'backstage-kubernetes-authorization-google': 'a'.repeat(8193) },
      'is longer than 8192 characters',
    ],
    [
      'a provider name that is not one',
      { 'backstage-kubernetes-authorization-oi_dc': JWT },
      'the auth provider must be letters and digits',
    ],
    [
      'more than 8 providers',
      Object.fromEntries(
        Array.from({ length: 9 }, (_, i) => [
          `backstage-kubernetes-authorization-oidc-p${i}`,
          JWT,
        ]),
      ),
      'At most 8',
    ],
  ])('refuses %s, naming the header and the rule', (_, headers, message) => {
    expect(() => UserKubernetesCredentials.fromHeaders(headers)).toThrow(
      InputError,
    );
    expect(() => UserKubernetesCredentials.fromHeaders(headers)).toThrow(
      message,
    );
  });

  it("knows the Kubernetes frontend's user-token providers", () => {
    expect(clusterNeedsUserToken({ authProvider: 'oidc' })).toBe(true);
    expect(clusterNeedsUserToken({ authProvider: 'google' })).toBe(true);
    expect(clusterNeedsUserToken({ authProvider: 'aks' })).toBe(true);
    expect(clusterNeedsUserToken({ authProvider: 'aws' })).toBe(false);
    expect(clusterNeedsUserToken({ authProvider: 'serviceAccount' })).toBe(
      false,
    );
  });
});
