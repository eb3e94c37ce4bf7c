/**
 * Throw-away PostgreSQL and Redis for tests of the production profile
 * (app-config.production.yaml): several backend replicas sharing one database
 * and one cache. Debian's binaries (scripts/system-deps.sh installs them), a
 * temp dir each, free loopback ports; stop() leaves no process and no file.
 * Separate from the peers harness on purpose: only the tests that need them
 * start them, inside the test process. Faults on demand: Redis paused
 * (SIGSTOP) and resumed, PostgreSQL restarted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, sleep } from './cache';
import { Child, onExit, startChild } from './proc';

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Seconds from initdb to accepting connections. */
  startSeconds: number;
  /**
   * Fast shutdown (every connection dropped), then the same server again on
   * the same port and data: a database restart as an operator does one.
   * Resolves with the seconds it was down, once it accepts connections again.
   */
  restart(options?: { downMs?: number }): Promise<number>;
  stop(): Promise<void>;
}

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  startSeconds: number;
  /** Sends one command (RESP) and returns the raw reply. */
  command(...args: string[]): Promise<string>;
  /** SIGSTOP: connections stay open, nothing answers (a hung cache). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL server binaries, newest major version first. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter(v => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) {
    throw new Error(
      `no PostgreSQL server under ${root}; run scripts/system-deps.sh (apt-get install postgresql)`,
    );
  }
  return path.join(root, versions[0], 'bin');
}

/** postgres refuses to run as root: as root, run it as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim(),
    );
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root and there is no `postgres` user to run PostgreSQL as (apt-get install postgresql)',
    );
  }
}

async function waitFor(
  what: string,
  child: Child,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited)
      throw new Error(`${what} exited before it was ready:\n${child.tail()}`);
    if (await ready()) return;
    await sleep(200);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${child.tail()}`);
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * initdb into a temp dir, then `postgres` on 127.0.0.1:<free port> with its
 * unix socket in the temp dir. Password (scram) auth over TCP, as production;
 * the superuser may create the per-plugin databases Backstage makes.
 */
async function startPostgres(
  options: { maxConnections?: number } = {},
): Promise<RunningPostgres> {
  const t0 = Date.now();
  const bin = postgresBinDir();
  const owner = postgresUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  const cancelCleanup = onExit(() => removeDir(dir));
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'run');
  const logFile = path.join(dir, 'postgres.log');
  const user = 'postgres';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const pwFile = path.join(dir, 'pwfile');
  fs.mkdirSync(socketDir);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  fs.writeFileSync(logFile, '');
  if (owner) execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

  const init = spawnSync(
    path.join(bin, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      user,
      `--pwfile=${pwFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--no-sync',
    ],
    { ...asOwner, env, encoding: 'utf8', cwd: dir },
  );
  if (init.status !== 0) {
    cancelCleanup();
    removeDir(dir);
    throw new Error(
      `initdb failed (${init.status ?? init.signal}):\n${init.stdout}\n${
        init.stderr
      }`,
    );
  }
  fs.rmSync(pwFile);

  const port = await freePort();
  const launch = () =>
    startChild(
      'postgres',
      path.join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-p',
        String(port),
        '-k',
        socketDir,
        '-c',
        `max_connections=${options.maxConnections ?? 300}`,
        // A throw-away database: durability off, speed on.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      logFile,
      { ...asOwner, env, cwd: dir },
    );
  let child = launch();
  const ready = () =>
    waitFor(
      'postgres',
      child,
      async () =>
        spawnSync(
          path.join(bin, 'pg_isready'),
          ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', user],
          {
            env,
          },
        ).status === 0,
      60_000,
    );
  const shutdown = async () => {
    child.stopping = true;
    if (!child.exited && child.proc.pid) {
      // SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for clients to leave).
      try {
        process.kill(-child.proc.pid, 'SIGINT');
      } catch {
        /* gone */
      }
      for (let i = 0; i < 100 && !child.exited; i++) await sleep(100);
    }
    await child.stop();
  };
  const stop = async () => {
    await shutdown();
    cancelCleanup();
    removeDir(dir);
  };
  const restart = async ({ downMs = 0 } = {}) => {
    const down = Date.now();
    await shutdown();
    await sleep(downMs);
    child = launch();
    await ready();
    return (Date.now() - down) / 1000;
  };
  try {
    await ready();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    startSeconds: (Date.now() - t0) / 1000,
    restart,
    stop,
  };
}

/** One RESP command over a fresh connection; resolves with the raw reply. */
export function redisCommand(
  port: number,
  args: string[],
  timeoutMs = 5_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    timer = setTimeout(
      () => finish(new Error(`redis ${args[0]}: no reply in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', finish);
    socket.on('connect', () => {
      socket.write(
        `*${args.length}\r\n${args
          .map(a => `$${Buffer.byteLength(a)}\r\n${a}\r\n`)
          .join('')}`,
      );
    });
    // Replies this helper is used for (PONG, integers, short arrays) arrive in one read.
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      finish();
    });
  });
}

/** redis-server on 127.0.0.1:<free port>, no persistence, its files in a temp dir. */
async function startRedis(): Promise<RunningRedis> {
  const t0 = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-'));
  const cancelCleanup = onExit(() => removeDir(dir));
  const port = await freePort();
  const child = startChild(
    'redis-server',
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    path.join(dir, 'redis.log'),
    { cwd: dir },
  );
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    if (child.proc.pid && !child.exited) process.kill(-child.proc.pid, name);
  };
  const stop = async () => {
    signal('SIGCONT'); // a paused server cannot stop
    await child.stop();
    cancelCleanup();
    removeDir(dir);
  };
  try {
    await waitFor(
      'redis-server',
      child,
      () =>
        redisCommand(port, ['PING'], 1_000).then(
          r => r.startsWith('+PONG'),
          () => false,
        ),
      30_000,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    startSeconds: (Date.now() - t0) / 1000,
    command: (...args) => redisCommand(port, args),
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    stop,
  };
}

export interface ProductionServices {
  postgres: RunningPostgres;
  redis: RunningRedis;
  stop(): Promise<void>;
}

/** Both, started side by side; stop() stops both. */
export async function startProductionServices(): Promise<ProductionServices> {
  const [pg, redis] = await Promise.allSettled([startPostgres(), startRedis()]);
  if (pg.status === 'rejected' || redis.status === 'rejected') {
    if (pg.status === 'fulfilled') await pg.value.stop();
    if (redis.status === 'fulfilled') await redis.value.stop();
    const failed =
      pg.status === 'rejected' ? pg : (redis as PromiseRejectedResult);
    throw failed.reason instanceof Error
      ? failed.reason
      : new Error(String(failed.reason));
  }
  return {
    postgres: pg.value,
    redis: redis.value,
    stop: async () => {
      await Promise.all([pg.value.stop(), redis.value.stop()]);
    },
  };
}
