/** The git CLI as a developer pushing to the GitOps repository (fixed identity, no system config). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  }).trim();
}

/** A person's own push to main of a bare repository on the git peer (a hand edit), as the git CLI makes it. */
export function pushToMainByHand(
  bareDir: string,
  edit: (work: string) => void,
  message: string,
): void {
  pushBranchByHand(bareDir, 'main', edit, message);
}

/** A person's own push of a commit on main's head to `branch` (created when new), as the git CLI makes it. */
export function pushBranchByHand(
  bareDir: string,
  branch: string,
  edit: (work: string) => void,
  message: string,
): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'push-by-hand-'));
  try {
    git(['clone', '-q', bareDir, work]);
    edit(work);
    git(['add', '-A'], work);
    git(['commit', '-q', '-m', message], work);
    git(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
