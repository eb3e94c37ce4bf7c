/**
 * The memory of the whole sandbox: the resident set of a process and all its
 * descendants (the peers run as children in their own process groups, so a
 * process-group sum would miss them), read from /proc.
 */
import fs from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  rssBytes: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: fields after its closing ')' are fixed
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    return { pid, ppid: Number(fields[1]), rssBytes: rssKb * 1024 };
  } catch {
    return undefined; // exited meanwhile, or a kernel thread
  }
}

/** RSS of `root` and its descendants, leaving out the subtrees of `exclude`. */
export function processTreeRss(
  root: number,
  exclude: Set<number> = new Set(),
): number {
  const all = fs
    .readdirSync('/proc')
    .filter(name => /^\d+$/.test(name))
    .map(name => readProc(Number(name)))
    .filter((p): p is ProcInfo => !!p);
  const children = new Map<number, ProcInfo[]>();
  for (const p of all)
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const visit = (pid: number) => {
    if (exclude.has(pid)) return;
    total += all.find(p => p.pid === pid)?.rssBytes ?? 0;
    for (const child of children.get(pid) ?? []) visit(child.pid);
  };
  visit(root);
  return total;
}
