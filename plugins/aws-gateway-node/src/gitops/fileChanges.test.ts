import { describeFileChanges } from './fileChanges';

describe('describeFileChanges', () => {
  it('shows changed, added and deleted files as a unified diff, nothing for unchanged ones', () => {
    const diff = describeFileChanges(
      [
        { path: 'g/gateway-a.yaml', content: 'port: 8080\nname: a\n' },
        { path: 'g/same.yaml', content: 'x\n' },
        { path: 'g/tcproute-old.yaml', content: 'old\n' },
      ],
      [
        { path: 'g/gateway-a.yaml', content: 'port: 9090\nname: a\n' },
        { path: 'g/same.yaml', content: 'x\n' },
        { path: 'g/tcproute-new.yaml', content: 'new\n' },
      ],
    );
    expect(diff).toContain('--- a/g/gateway-a.yaml\n+++ b/g/gateway-a.yaml');
    expect(diff).toContain('-port: 8080\n+port: 9090\n');
    expect(diff).toContain('--- /dev/null\n+++ b/g/tcproute-new.yaml');
    expect(diff).toContain('--- a/g/tcproute-old.yaml\n+++ /dev/null');
    expect(diff).not.toContain('same.yaml');
  });

  it('is empty when nothing changes', () => {
    const files = [{ path: 'a.yaml', content: 'a\n' }];
    expect(describeFileChanges(files, files)).toBe('');
  });
});
