import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { cloneUrlOfPickedRepository, isCloneUrl } from './pickerRepoUrl';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [
        { host: 'github.example.com', token: 't' },
        {
          host: '127.0.0.1:3000',
          apiBaseUrl: 'http://127.0.0.1:3000/api/v3',
          token: 't',
        },
      ],
      gitlab: [
        {
          host: 'gitlab.example.com',
          baseUrl: 'https://gitlab.example.com/scm',
          apiBaseUrl: 'https://gitlab.example.com/scm/api/v4',
          token: 't',
        },
      ],
      azure: [{ host: 'dev.azure.com' }],
      gerrit: [
        {
          host: 'gerrit.example.com',
          gitilesBaseUrl: 'https://gerrit.example.com/plugins/gitiles',
        },
      ],
    },
  }),
);

describe('RepoUrlPicker repositories', () => {
  it('tells clone URLs from the picker form by parsing', () => {
    expect(isCloneUrl('https://github.example.com/a/b.git')).toBe(true);
    expect(isCloneUrl('github.example.com?owner=a&repo=b')).toBe(false);
    // A host:port is not a URL scheme the clone form takes.
    expect(isCloneUrl('localhost:3000?owner=a&repo=b')).toBe(false);
  });

  it("builds each host's clone URL from its integration", () => {
    const href = (picked: Record<string, string>) =>
      cloneUrlOfPickedRepository(integrations, {
        repo: 'gitops',
        ...picked,
      } as any).href;
    expect(href({ host: 'github.example.com', owner: 'platform' })).toBe(
      'https://github.example.com/platform/gitops.git',
    );
    expect(href({ host: '127.0.0.1:3000', owner: 'platform' })).toBe(
      'http://127.0.0.1:3000/platform/gitops.git',
    );
    expect(href({ host: 'gitlab.example.com', owner: 'group/sub' })).toBe(
      'https://gitlab.example.com/scm/group/sub/gitops.git',
    );
    expect(
      href({
        host: 'dev.azure.com',
        organization: 'acme',
        project: 'platform',
      }),
    ).toBe('https://dev.azure.com/acme/platform/_git/gitops');
  });

  it('refuses hostile parts, hosts it cannot commit to and a missing owner, naming repoUrl', () => {
    const build = (picked: Record<string, string>) => () =>
      cloneUrlOfPickedRepository(integrations, {
        repo: 'gitops',
        ...picked,
      } as any);
    expect(build({ host: 'github.example.com', owner: '..' })).toThrow(
      'repoUrl: "https://github.example.com/../gitops.git" must not have dot segments',
    );
    expect(build({ host: 'github.example.com', owner: 'a%2fb' })).toThrow(
      'must not percent-encode',
    );
    expect(build({ host: 'gerrit.example.com', owner: 'a' })).toThrow(
      'repoUrl: gerrit.example.com is a gerrit host; GitOps repositories chosen with RepoUrlPicker must be on a github, gitlab, gitea or azure host',
    );
    expect(
      build({ host: 'dev.azure.com', organization: 'acme', project: '..' }),
    ).toThrow('must not have dot segments');
    expect(build({ host: 'dev.azure.com', project: 'platform' })).toThrow(
      'repoUrl: RepoUrlPicker gave no organization for dev.azure.com',
    );
    expect(build({ host: 'github.example.com' })).toThrow(
      'repoUrl: RepoUrlPicker gave no owner for github.example.com',
    );
  });
});
