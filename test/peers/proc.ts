/**
 * Child processes of the harness. Every child runs in its own process group
 * (detached) so that stopping it also stops anything it spawned; exit and
 * signal handlers make sure nothing is left behind when the harness dies.
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { log, sleep } from './cache';

export interface Child {
  name: string;
  proc: ChildProcess;
  logFile: string;
  /** Last lines of the child's log, for error messages. */
  tail(lines?: number): string;
  exited: boolean;
  stopping: boolean;
  stop(): Promise<void>;
}

const live = new Set<Child>();
const cleanups: Array<() => void> = [];
let handlersInstalled = false;

/** Synchronous last-resort cleanup (process 'exit' cannot await). */
function killAllSync(): void {
  for (const c of live) {
    try {
      if (c.proc.pid) process.kill(-c.proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  live.clear();
  for (const fn of cleanups.splice(0)) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAllSync();
      // 128 + the signal's number, as a shell reports a process killed by it.
      process.exit(128 + os.constants.signals[sig]);
    });
  }
}

/** Registers a synchronous cleanup (e.g. removing a temp dir) run at exit. */
export function onExit(fn: () => void): () => void {
  installHandlers();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export function startChild(
  name: string,
  cmd: string,
  args: string[],
  logFile: string,
  opts: SpawnOptions = {},
): Child {
  installHandlers();
  const out = fs.openSync(logFile, 'a');
  const proc = spawn(cmd, args, {
    ...opts,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const child: Child = {
    name,
    proc,
    logFile,
    exited: false,
    stopping: false,
    tail(lines = 30) {
      try {
        return fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .slice(-lines)
          .join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      // stays in `live` until it is gone, so an exit mid-stop still kills it
      child.stopping = true;
      const t0 = Date.now();
      if (!child.exited && proc.pid) {
        try {
          process.kill(-proc.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
        for (let i = 0; i < 50 && !child.exited; i++) await sleep(100);
        if (!child.exited) {
          try {
            process.kill(-proc.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
          for (let i = 0; i < 20 && !child.exited; i++) await sleep(100);
        }
      }
      if (process.env.PEERS_DEBUG)
        log(`stopped ${name} in ${Date.now() - t0}ms`);
      live.delete(child);
    },
  };
  proc.on('exit', code => {
    child.exited = true;
    if (!child.stopping) log(`${name} exited (code ${code}); log: ${logFile}`);
    live.delete(child);
  });
  proc.on('error', e => {
    child.exited = true;
    log(`${name} failed to spawn: ${e.message}`);
  });
  live.add(child);
  return child;
}

/** Runs a command to completion, streaming output into a log file; rejects on failure. */
export function runLogged(
  cmd: string,
  args: string[],
  logFile: string,
  opts: SpawnOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const p = spawn(cmd, args, { ...opts, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    p.on('error', reject);
    p.on('exit', code => {
      if (code === 0) resolve();
      else {
        const tail = fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .slice(-25)
          .join('\n');
        reject(
          new Error(
            `${cmd} ${args.join(
              ' ',
            )} exited with ${code}; log ${logFile}:\n${tail}`,
          ),
        );
      }
    });
  });
}
