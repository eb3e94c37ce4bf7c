import { RepositoryUrl } from '@gateway-portal/plugin-aws-gateway-node';
import { assertAllowedRepo } from '../gitops/gitopsSettings';
import { gitopsTestSettings } from '../support/__testUtils__/gitopsTestSettings';
import { userTokenFor } from './editSharedListener';

describe('userTokenFor', () => {
  const platformRepo = assertAllowedRepo(
    'https://git.example.com/platform/gitops.git',
    gitopsTestSettings,
  );

  it("sends the user's token to the shared Gateway's repository on the host it was issued for", () => {
    expect(
      userTokenFor(
        platformRepo,
        {
          token: 'user-token',
          tokenRepoUrl: 'git.example.com?owner=platform&repo=team-a',
        },
        gitopsTestSettings,
      ),
    ).toBe('user-token');
  });

  it('sends it nowhere else: another host gets the integration credentials', () => {
    // The shared Gateway's repository on another host (its own allow-list entry).
    const elsewhere: RepositoryUrl = {
      ...platformRepo,
      href: 'https://platform-git.example.com/platform/gitops.git',
      host: 'platform-git.example.com',
      hostname: 'platform-git.example.com',
    };
    expect(
      userTokenFor(
        elsewhere,
        {
          token: 'user-token',
          tokenRepoUrl: 'https://git.example.com/platform/team-a.git',
        },
        gitopsTestSettings,
      ),
    ).toBeUndefined();
  });

  it('refuses a token without the repository it was issued for, naming the field', () => {
    expect(() =>
      userTokenFor(platformRepo, { token: 'user-token' }, gitopsTestSettings),
    ).toThrow(/^tokenRepoUrl: name the repository the token was issued for/);
    expect(userTokenFor(platformRepo, { token: '' }, gitopsTestSettings)).toBe(
      undefined,
    );
  });
});
