import { KubernetesUserTokens } from './KubernetesUserTokens';

describe('KubernetesUserTokens', () => {
  const clusters = [
    { name: 'eks-prod', authProvider: 'aws' },
    { name: 'okta-a', authProvider: 'oidc', oidcTokenProvider: 'okta' },
    { name: 'okta-b', authProvider: 'oidc', oidcTokenProvider: 'okta' },
    { name: 'gke', authProvider: 'google' },
    { name: 'gitlab', authProvider: 'oidc', oidcTokenProvider: 'gitlab' },
  ];

  function tokens(
    credentials: Record<string, string | Error>,
    listed: () => Promise<typeof clusters> = async () => clusters,
  ) {
    const getCredentials = jest.fn(async (provider: string) => {
      const answer = credentials[provider];
      if (answer instanceof Error) throw answer;
      return answer ? { token: answer } : {};
    });
    const getClusters = jest.fn(listed);
    let now = 0;
    return {
      source: new KubernetesUserTokens({
        kubernetesApi: { getClusters },
        kubernetesAuthProvidersApi: { getCredentials },
        now: () => now,
      }),
      getCredentials,
      getClusters,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it("asks each auth provider of the Kubernetes plugin's clusters once, and sends its token under the Kubernetes plugin's header", async () => {
    const { source, getCredentials } = tokens({
      'oidc.okta': 'okta-id-token',
      google: 'ya29.google',
      'oidc.gitlab': new Error('user closed the sign-in popup'),
    });
    expect(await source.headers()).toEqual({
      'Backstage-Kubernetes-Authorization-oidc-okta': 'okta-id-token',
      'Backstage-Kubernetes-Authorization-google': 'ya29.google',
    });
    expect(getCredentials.mock.calls.map(c => c[0]).sort()).toEqual([
      'aws',
      'google',
      'oidc.gitlab',
      'oidc.okta',
    ]);
  });

  it('reuses the cluster list for a minute, not the tokens', async () => {
    const { source, getClusters, getCredentials, advance } = tokens({
      google: 'ya29.google',
    });
    await source.headers();
    advance(59_000);
    await source.headers();
    expect(getClusters).toHaveBeenCalledTimes(1);
    expect(getCredentials).toHaveBeenCalledTimes(8);
    advance(2_000);
    await source.headers();
    expect(getClusters).toHaveBeenCalledTimes(2);
  });

  it("sends no token when the Kubernetes plugin's backend cannot list its clusters (not installed), and asks again later", async () => {
    const { source, getClusters, getCredentials, advance } = tokens(
      { google: 'ya29.google' },
      async () => {
        throw new Error('Could not find the Kubernetes Backend (HTTP 404)');
      },
    );
    expect(await source.headers()).toEqual({});
    expect(getCredentials).not.toHaveBeenCalled();
    advance(1_000);
    await source.headers();
    expect(getClusters).toHaveBeenCalledTimes(2);
  });
});
