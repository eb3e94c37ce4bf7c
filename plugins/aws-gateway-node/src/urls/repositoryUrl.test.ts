import { ConfigReader } from '@backstage/config';
import fc from 'fast-check';
import {
  parseBaseUrl,
  parseRepositoryUrl,
  redactUrl,
  repositoryPath,
  segmentsBelow,
} from './repositoryUrl';
import {
  matchesUrlPattern,
  parseUrlPattern,
  RepositoryUrlAllowList,
} from './urlAllowList';

describe('parseRepositoryUrl', () => {
  it('returns the canonical URL and its segments', () => {
    expect(
      parseRepositoryUrl('HTTPS://Git.Example.COM:443/platform/gitops.git'),
    ).toEqual({
      href: 'https://git.example.com/platform/gitops.git',
      protocol: 'https:',
      host: 'git.example.com',
      hostname: 'git.example.com',
      port: 443,
      segments: ['platform', 'gitops.git'],
    });
    expect(
      parseRepositoryUrl('http://127.0.0.1:3000/a/b.git', 'repoUrl', {
        allowHttpLoopback: true,
      }),
    ).toMatchObject({
      href: 'http://127.0.0.1:3000/a/b.git',
      port: 3000,
    });
  });

  it.each([
    [
      'a dot-dot segment',
      'https://git.example.com/platform/../other/x.git',
      'must not have dot segments',
    ],
    [
      'a dot segment',
      'https://git.example.com/platform/./x.git',
      'must not have dot segments',
    ],
    [
      '%2e%2e',
      'https://git.example.com/platform/%2e%2e/other/x.git',
      'must not percent-encode',
    ],
    [
      '.%2E',
      'https://git.example.com/platform/.%2E/other/x.git',
      'must not percent-encode',
    ],
    [
      'an encoded slash',
      'https://git.example.com/platform%2f..%2fother/x.git',
      'must not percent-encode',
    ],
    [
      'double encoding',
      'https://git.example.com/platform/%252e%252e/x.git',
      'must not percent-encode',
    ],
    [
      'a backslash',
      'https://git.example.com/platform\\..\\other/x.git',
      'must not contain backslashes',
    ],
    [
      'userinfo',
      'https://user:secret@git.example.com/platform/x.git',
      'must not contain credentials',
    ],
    [
      'a bare @ in the authority',
      'https://git.example.com@evil.example/platform/x.git',
      'must not contain credentials',
    ],
    [
      'a query',
      'https://git.example.com/platform/x.git?ref=1',
      'must not have a query or a fragment',
    ],
    [
      'a fragment',
      'https://git.example.com/platform/x.git#x',
      'must not have a query or a fragment',
    ],
    [
      'an empty segment',
      'https://git.example.com/platform//x.git',
      'must not have empty path segments',
    ],
    [
      'a trailing slash',
      'https://git.example.com/platform/x.git/',
      'must not have empty path segments',
    ],
    [
      'plain http off loopback',
      'http://git.example.com/platform/x.git',
      'must use https',
    ],
    [
      'another scheme',
      'ssh://git.example.com/platform/x.git',
      'must use https',
    ],
    ['file', 'file:///etc/passwd', 'must use https'],
    [
      'a tab the parser would strip',
      'https://git.example.com/plat\tform/x.git',
      'printable ASCII',
    ],
    [
      'a non-ASCII host',
      'https://gít.example.com/platform/x.git',
      'printable ASCII',
    ],
    ['no path', 'https://git.example.com', 'must name a repository path'],
    ['a relative URL', '/platform/x.git', 'not an absolute URL'],
  ])('refuses %s, naming the field and the rule', (_name, raw, rule) => {
    expect(() => parseRepositoryUrl(raw)).toThrow(rule);
    expect(() => parseRepositoryUrl(raw)).toThrow(/^repoUrl/);
  });

  it('never echoes credentials', () => {
    expect(() =>
      parseRepositoryUrl('https://u:hunter2@git.example.com/a/../b'),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('hunter2'),
      }),
    );
    expect(redactUrl('https://u:hunter2@git.example.com/a?token=x')).toBe(
      '"https://git.example.com/a"',
    );
  });

  it('refuses plain http on loopback unless allowed', () => {
    expect(() => parseRepositoryUrl('http://127.0.0.1:1/a.git')).toThrow(
      'must use https',
    );
    expect(() =>
      parseRepositoryUrl('http://127.0.0.1.example.com/a.git', 'repoUrl', {
        allowHttpLoopback: true,
      }),
    ).toThrow('must use https');
  });

  it('finds the owner and repository below an integration base URL', () => {
    const base = parseBaseUrl('https://git.example.com/gitea/', 'baseUrl');
    const url = parseRepositoryUrl(
      'https://git.example.com/gitea/platform/gitops.git',
    );
    expect(repositoryPath(segmentsBelow(url, base)!)).toEqual([
      'platform',
      'gitops',
    ]);
    expect(
      segmentsBelow(
        parseRepositoryUrl('https://git.example.com/other/platform/gitops.git'),
        base,
      ),
    ).toBeUndefined();
    expect(
      segmentsBelow(url, parseBaseUrl('https://git.example.com', 'baseUrl')),
    ).toEqual(['gitea', 'platform', 'gitops.git']);
  });
});

describe('repository URL allow-lists', () => {
  const allow = RepositoryUrlAllowList.fromStrings(
    [
      'https://git.example.com/platform/*',
      'https://git.example.com/apps/gitops-*.git',
      'https://other.example.com/one/repo.git',
    ],
    'awsGateway.provisioning.gitops.allowedRepoUrls',
  );

  it.each([
    'https://git.example.com/platform/gitops.git',
    'https://git.example.com/platform/team/gitops.git',
    'https://GIT.example.com:443/platform/gitops.git',
    'https://git.example.com/apps/gitops-eu.git',
    'https://other.example.com/one/repo.git',
  ])('allows %s', raw => {
    expect(allow.check(raw).href).toBe(new URL(raw).href);
  });

  it.each([
    [
      'another path',
      'https://git.example.com/platformx/gitops.git',
      'is not allowed',
    ],
    ['the prefix itself', 'https://git.example.com/platform', 'is not allowed'],
    [
      'another port',
      'https://git.example.com:8443/platform/gitops.git',
      'is not allowed',
    ],
    [
      'a look-alike host',
      'https://git.example.com.evil.example/platform/gitops.git',
      'is not allowed',
    ],
    [
      'a glob across segments',
      'https://git.example.com/apps/gitops-x/y.git',
      'is not allowed',
    ],
    [
      'dot segments out of the prefix',
      'https://git.example.com/platform/../secret/x.git',
      'dot segments',
    ],
    [
      'encoded dot segments',
      'https://git.example.com/platform/%2e%2e/secret/x.git',
      'percent-encode',
    ],
    ['http', 'http://git.example.com/platform/gitops.git', 'must use https'],
  ])('refuses %s', (_name, raw, rule) => {
    expect(() => allow.check(raw)).toThrow(rule);
  });

  // Red team: spellings a text comparison or a lenient parser would read as the allowed repository, or resolve elsewhere.
  it.each([
    [
      'a trailing dot on the host',
      'https://git.example.com./platform/gitops.git',
      'is not allowed',
    ],
    ['an IPv6 host', 'https://[::1]/platform/gitops.git', 'is not allowed'],
    [
      'the host as a path (triple slash)',
      'https:///git.example.com/platform/gitops.git',
      'reads differently',
    ],
    [
      'a host-less scheme',
      'https:git.example.com/platform/gitops.git',
      'not an absolute URL',
    ],
    [
      'a semicolon parameter',
      'https://git.example.com/platform/gitops.git;x=../../secret',
      'may only hold',
    ],
    [
      'an @ in the path',
      'https://git.example.com/platform/x@evil.example/gitops.git',
      'may only hold',
    ],
    [
      'an empty userinfo',
      'https://@git.example.com/platform/gitops.git',
      'must not contain credentials',
    ],
    [
      'a newline the parser would strip out of a dot segment',
      'https://git.example.com/platform/.\n./secret/x.git',
      'printable ASCII',
    ],
    [
      'a tab in the host',
      'https://git.example.com\t.evil.example/platform/x.git',
      'printable ASCII',
    ],
    [
      'a fullwidth slash and dots',
      'https://git.example.com/platform\uff0f\uff0e\uff0e\uff0fsecret/x.git',
      'printable ASCII',
    ],
    [
      'a punycode look-alike host',
      'https://xn--gt-bja.example.com/platform/gitops.git',
      'is not allowed',
    ],
    [
      'an upper-case path (fails closed, though a forge may serve it)',
      'https://git.example.com/PLATFORM/gitops.git',
      'is not allowed',
    ],
    [
      'a decimal IPv4 host',
      'https://2130706433/platform/gitops.git',
      'is not allowed',
    ],
  ])('refuses %s (red team)', (_name, raw, rule) => {
    expect(() => allow.check(raw)).toThrow(rule);
  });

  it('reads the GitOps allow-list from configuration and names its hosts as RepoUrlPicker does', () => {
    const list = RepositoryUrlAllowList.fromGitOpsConfig(
      new ConfigReader({
        awsGateway: {
          provisioning: {
            gitops: {
              allowedRepoUrls: [
                'https://GIT.example.com:443/platform/*',
                'https://git.example.com/other/gitops.git',
                'http://127.0.0.1:3000/sandbox/*',
              ],
            },
          },
        },
      }),
    );
    expect(list.hosts()).toEqual(['git.example.com', '127.0.0.1:3000']);
    expect(list.check('http://127.0.0.1:3000/sandbox/gitops.git').href).toBe(
      'http://127.0.0.1:3000/sandbox/gitops.git',
    );
    expect(() =>
      RepositoryUrlAllowList.fromGitOpsConfig(new ConfigReader({})).check(
        'https://git.example.com/platform/gitops.git',
      ),
    ).toThrow(
      'must be listed in awsGateway.provisioning.gitops.allowedRepoUrls',
    );
  });

  it('refuses malformed patterns at startup', () => {
    expect(() =>
      parseUrlPattern('https://git.example.com/platform/../*', 'k'),
    ).toThrow('Invalid configuration: k');
    expect(() => parseUrlPattern('http://git.example.com/*', 'k')).toThrow(
      'must use https',
    );
    expect(() => parseUrlPattern('https://u:p@git.example.com/*', 'k')).toThrow(
      'credentials',
    );
    expect(() => parseUrlPattern('git.example.com/*', 'k')).toThrow(
      'must be a URL',
    );
  });

  // Properties: whatever follows an allowed prefix, the URL is refused, or it
  // stays below the prefix — both as we canonicalise it and as a real URL
  // resolver (WHATWG, what fetch and git clients use) reads the raw text.
  const segment = fc
    .stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/)
    .filter(s => !/^\.+$/.test(s));
  const hostile = fc.constantFrom(
    '..',
    '.',
    '%2e',
    '%2E',
    '%2e%2e',
    '.%2e',
    '%2f',
    '%2F',
    '%5c',
    '%252e',
    '%25',
    '\\',
    '/',
    '//',
    '@',
    ':',
    '?',
    '#',
    '%00',
    '\t',
    '\n',
    ' ',
    '~',
    'é',
    '%',
    'a',
    'gitops.git',
  );
  const suffix = fc
    .array(fc.oneof(hostile, segment, fc.string({ maxLength: 6 })), {
      maxLength: 8,
    })
    .map(parts => parts.join(''));

  it('property: an accepted URL stays below the allowed prefix, as parsed and as resolved', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        suffix,
        (prefixSegments, tail) => {
          const prefix = `https://git.example.com/${prefixSegments.join('/')}`;
          const list = RepositoryUrlAllowList.fromStrings([`${prefix}/*`], 'k');
          const raw = `${prefix}/${tail}`;
          let url;
          try {
            url = list.check(raw);
          } catch {
            return true;
          }
          const resolvedRaw = new URL(raw);
          const resolvedCanonical = new URL(url.href);
          for (const resolved of [resolvedRaw, resolvedCanonical]) {
            expect(resolved.origin).toBe('https://git.example.com');
            expect(
              resolved.pathname.startsWith(`/${prefixSegments.join('/')}/`),
            ).toBe(true);
            expect(
              resolved.pathname.split('/').some(s => s === '..' || s === '.'),
            ).toBe(false);
          }
          expect(resolvedCanonical.href).toBe(url.href);
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: any URL is refused or normalised to an href that normalises to itself and matches identically', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          suffix.map(s => `https://git.example.com/${s}`),
        ),
        raw => {
          let url;
          try {
            url = parseRepositoryUrl(raw);
          } catch {
            return true;
          }
          const again = parseRepositoryUrl(url.href);
          expect(again).toEqual(url);
          const pattern = parseUrlPattern(
            `https://${url.host}/${url.segments[0]}/*`,
            'k',
          );
          expect(matchesUrlPattern(url, pattern)).toBe(url.segments.length > 1);
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
