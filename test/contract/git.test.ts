/**
 * Contract: the git peer is real smart HTTP (git http-backend) with basic auth:
 * a push/clone round trip with isomorphic-git and the git CLI, and a push with
 * a wrong password is refused.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { createBareRepo, gitPeer, uniqueName } from '../peers';

const author = { name: 'Contract Test', email: 'contract@example.invalid' };

describe('git server (git http-backend over HTTP with basic auth)', () => {
  const tmp: string[] = [];
  const mkdtemp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-git-'));
    tmp.push(d);
    return d;
  };
  afterAll(() =>
    tmp.forEach(d => fs.rmSync(d, { recursive: true, force: true })),
  );

  it('round-trips a commit: isomorphic-git clone + push, git CLI clone sees it', async () => {
    const { user, password } = gitPeer();
    const url = createBareRepo(uniqueName('repo'));
    const onAuth = () => ({ username: user, password });

    const dir = mkdtemp();
    await git.clone({
      fs,
      http,
      dir,
      url,
      ref: 'main',
      singleBranch: true,
      onAuth,
    });
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/^# /);

    fs.mkdirSync(path.join(dir, 'catalog'));
    fs.writeFileSync(
      path.join(dir, 'catalog', 'gateway.yaml'),
      'kind: Gateway\n',
    );
    await git.add({ fs, dir, filepath: 'catalog/gateway.yaml' });
    const sha = await git.commit({ fs, dir, message: 'Add gateway', author });
    const pushed = await git.push({
      fs,
      http,
      dir,
      remote: 'origin',
      ref: 'main',
      onAuth,
    });
    expect(pushed.ok).toBe(true);

    const cli = mkdtemp();
    const authed = url.replace('http://', `http://${user}:${password}@`);
    execFileSync('git', ['clone', '-q', authed, cli], { stdio: 'pipe' });
    expect(
      execFileSync('git', ['-C', cli, 'rev-parse', 'HEAD'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe(sha);
    expect(
      fs.readFileSync(path.join(cli, 'catalog', 'gateway.yaml'), 'utf8'),
    ).toBe('kind: Gateway\n');

    // and back: a CLI push is visible to isomorphic-git
    fs.writeFileSync(path.join(cli, 'second.txt'), 'two\n');
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'c',
      GIT_AUTHOR_EMAIL: 'c@x.invalid',
      GIT_COMMITTER_NAME: 'c',
      GIT_COMMITTER_EMAIL: 'c@x.invalid',
    };
    execFileSync('git', ['-C', cli, 'add', '-A'], { env });
    execFileSync('git', ['-C', cli, 'commit', '-q', '-m', 'second'], { env });
    execFileSync('git', ['-C', cli, 'push', '-q', 'origin', 'main'], {
      env,
      stdio: 'pipe',
    });
    const refs = await git.listServerRefs({ http, url, onAuth });
    const main = refs.find(r => r.ref === 'refs/heads/main');
    expect(main?.oid).toBe(
      execFileSync('git', ['-C', cli, 'rev-parse', 'HEAD'], {
        encoding: 'utf8',
      }).trim(),
    );
  });

  it('refuses a push (and a clone) with a wrong password', async () => {
    const { user, password } = gitPeer();
    const url = createBareRepo(uniqueName('repo'));
    const dir = mkdtemp();
    await git.clone({
      fs,
      http,
      dir,
      url,
      ref: 'main',
      singleBranch: true,
      onAuth: () => ({ username: user, password }),
    });
    fs.writeFileSync(path.join(dir, 'x.txt'), 'x\n');
    await git.add({ fs, dir, filepath: 'x.txt' });
    await git.commit({ fs, dir, message: 'x', author });

    let attempts = 0;
    await expect(
      git.push({
        fs,
        http,
        dir,
        remote: 'origin',
        ref: 'main',
        onAuth: () => {
          attempts++;
          return { username: user, password: 'wrong' };
        },
      }),
    ).rejects.toMatchObject({ code: 'HttpError', data: { statusCode: 401 } });
    expect(attempts).toBe(1);

    const authedWrong = url.replace('http://', `http://${user}:wrong@`);
    expect(() =>
      execFileSync(
        'git',
        ['clone', '-q', authedWrong, path.join(mkdtemp(), 'c')],
        {
          stdio: 'pipe',
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        },
      ),
    ).toThrow(/Authentication failed|401/);

    // the server still has only the initial commit
    const refs = await git.listServerRefs({
      http,
      url,
      onAuth: () => ({ username: user, password }),
    });
    const local = await git.resolveRef({ fs, dir, ref: 'main' });
    expect(refs.find(r => r.ref === 'refs/heads/main')?.oid).not.toBe(local);
  });
});
