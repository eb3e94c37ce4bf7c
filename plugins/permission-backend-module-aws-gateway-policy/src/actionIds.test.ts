import fs from 'node:fs';
import path from 'node:path';
import {
  AWS_GATEWAY_ACTION_IDS,
  DEFAULT_PRIVILEGED_ACTIONS,
  expandActionPatterns,
} from './actionIds';

const REPO = path.resolve(__dirname, '..', '..', '..');

function filesUnder(dir: string, accept: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, accept);
    return accept(full) ? [full] : [];
  });
}

describe('expandActionPatterns', () => {
  it('expands * against the known ids and keeps exact ids as they are', () => {
    expect(expandActionPatterns(['aws-gateway:iam:*'])).toEqual([
      'aws-gateway:iam:ensure-pod-identity-role',
      'aws-gateway:iam:ensure-policy',
    ]);
    expect(
      expandActionPatterns([
        'aws-gateway:*:render',
        'publish:github',
        'aws-gateway:iam:ensure-policy',
      ]),
    ).toEqual([
      'aws-gateway:controller:render',
      'aws-gateway:endpoint:render',
      'aws-gateway:iam:ensure-policy',
      'publish:github',
    ]);
    expect(expandActionPatterns(['aws-gateway:*'])).toEqual(
      [...AWS_GATEWAY_ACTION_IDS].sort(),
    );
    expect(expandActionPatterns(DEFAULT_PRIVILEGED_ACTIONS)).toHaveLength(6);
  });

  it('treats the other characters of a pattern literally', () => {
    expect(expandActionPatterns(['a.b:*'], ['a.b:c', 'axb:c'])).toEqual([
      'a.b:c',
    ]);
  });

  it('refuses a pattern that matches nothing, and empty ids', () => {
    expect(() => expandActionPatterns(['publish:*'])).toThrow(
      /matches none of the known action ids/,
    );
    expect(() => expandActionPatterns([' '])).toThrow(/empty action id/);
  });
});

describe('AWS_GATEWAY_ACTION_IDS', () => {
  it('lists every action id of the scaffolder module and every one the templates use', () => {
    const found = new Set<string>();
    const sources = filesUnder(
      path.join(
        REPO,
        'plugins',
        'scaffolder-backend-module-aws-gateway',
        'src',
        'actions',
      ),
      f =>
        f.endsWith('.ts') &&
        !/\.(test|examples)\.ts$/.test(f) &&
        !f.includes('__testUtils__'),
    );
    for (const file of sources) {
      for (const m of fs
        .readFileSync(file, 'utf8')
        .matchAll(/['"](aws-gateway:[a-z-]+:[a-z-]+)['"]/g))
        found.add(m[1]);
    }
    for (const file of filesUnder(path.join(REPO, 'templates'), f =>
      f.endsWith('template.yaml'),
    )) {
      for (const m of fs
        .readFileSync(file, 'utf8')
        .matchAll(/action:\s*(aws-gateway:[a-z-]+:[a-z-]+)/g))
        found.add(m[1]);
    }
    expect(found.size).toBeGreaterThanOrEqual(7);
    expect(
      [...found].filter(id => !AWS_GATEWAY_ACTION_IDS.includes(id)),
    ).toEqual([]);
  });
});
