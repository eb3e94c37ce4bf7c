import { spawn } from 'node:child_process';
import { processTreeRss } from './processes';

describe('processTreeRss', () => {
  it('sums a process and its descendants, leaving out excluded subtrees', async () => {
    // a child that holds some memory of its own, with a grandchild
    const child = spawn(
      'bash',
      [
        '-c',
        'sleep 5 & exec node -e "const b = Buffer.alloc(64 << 20, 1); setTimeout(() => b, 30000)"',
      ],
      {
        stdio: 'ignore',
      },
    );
    try {
      await new Promise(r => setTimeout(r, 1500));
      const withChild = processTreeRss(process.pid);
      const withoutChild = processTreeRss(process.pid, new Set([child.pid!]));
      const childOnly = processTreeRss(child.pid!);
      expect(withoutChild).toBeGreaterThan(0);
      expect(childOnly).toBeGreaterThan(64 << 20);
      // read at slightly different times: the test process's own RSS moves a little in between
      expect(withChild - withoutChild).toBeGreaterThan(64 << 20);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is 0 for a process that does not exist', () => {
    expect(processTreeRss(2 ** 22 + 7)).toBe(0);
  });
});
