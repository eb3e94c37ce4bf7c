import { spawn } from 'node:child_process';
import { processTreeRss } from './processes';

describe('processTreeRss', () => {
  it('sums a process and its descendants, leaving out excluded subtrees', async () => {
    // A child that holds 64 MiB of its own, with a grandchild; it says when
    // the memory is held (a fixed wait raced a slow start on a loaded machine).
    const child = spawn(
      'bash',
      [
        '-c',
        'sleep 60 & exec node -e "const b = Buffer.alloc(64 << 20, 1); process.stdout.write(\'held\'); setTimeout(() => b, 60000)"',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], detached: true },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', code =>
          reject(new Error(`the child exited (${code}) before holding memory`)),
        );
      });
      const withChild = processTreeRss(process.pid);
      const withoutChild = processTreeRss(process.pid, new Set([child.pid!]));
      const childOnly = processTreeRss(child.pid!);
      expect(withoutChild).toBeGreaterThan(0);
      expect(childOnly).toBeGreaterThan(64 << 20);
      // read at slightly different times: the test process's own RSS moves a little in between
      expect(withChild - withoutChild).toBeGreaterThan(64 << 20);
    } finally {
      // The whole group: the child and its grandchild.
      process.kill(-child.pid!, 'SIGKILL');
    }
  }, 30_000);

  it('is 0 for a process that does not exist', () => {
    expect(processTreeRss(2 ** 22 + 7)).toBe(0);
  });
});
