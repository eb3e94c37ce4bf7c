/**
 * AWS peer: moto server from PyPI in a private venv inside the peers cache.
 *
 * Pinned to 5.2.1. The newest release on PyPI when this was written (5.2.5) was
 * downloaded and grepped: neither implements the EKS Pod Identity association
 * APIs (moto/eks has no pod-identity routes), so nothing is gained for us by
 * moving; 5.2.1 is the version the LBC call sequence was replayed against.
 * The gap is closed by pod-identity-emulator.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cachePath, freePort, log, timed, waitFor } from './cache';
import { Child, runLogged, startChild } from './proc';

export const MOTO_VERSION = process.env.PEERS_MOTO_VERSION || '5.2.1';

export function motoDir(): string {
  return cachePath(`moto-${MOTO_VERSION}`);
}

function motoPython(): string {
  return path.join(motoDir(), 'venv', 'bin', 'python');
}

/**
 * moto's app served with HTTP/1.1 keep-alive, as AWS serves its APIs:
 * moto_server's werkzeug development server closes every connection, so each
 * call of a client paid a new TCP connection it does not pay against AWS.
 */
const KEEP_ALIVE_SERVER = path.join(__dirname, 'moto_keepalive_server.py');

export function motoInstalled(): boolean {
  return fs.existsSync(path.join(motoDir(), '.installed'));
}

/** python3 -m venv + pip install 'moto[server]==<pin>', once per pin (flock'd). */
export async function installMoto(): Promise<void> {
  if (motoInstalled()) {
    log(`moto ${MOTO_VERSION}: cached at ${motoDir()}`);
    return;
  }
  const dir = motoDir();
  fs.mkdirSync(dir, { recursive: true });
  const python = process.env.PEERS_PYTHON || 'python3';
  const script = `
    set -e
    [ -f "${dir}/.installed" ] && exit 0
    rm -rf "${dir}/venv"
    ${python} -m venv "${dir}/venv"
    "${dir}/venv/bin/pip" install --disable-pip-version-check -q 'moto[server]==${MOTO_VERSION}'
    touch "${dir}/.installed"`;
  await timed(`install moto[server]==${MOTO_VERSION} (venv + pip)`, () =>
    runLogged(
      'flock',
      [path.join(dir, '.lock'), 'bash', '-c', script],
      cachePath('logs', 'moto-install.log'),
    ),
  );
}

export interface MotoPeer {
  endpoint: string;
  port: number;
  child: Child;
}

export interface MotoOptions {
  /**
   * Enforce IAM after this many unauthenticated calls (moto's
   * INITIAL_NO_AUTH_ACTION_COUNT): every later call must be SigV4-signed with
   * an access key of an IAM user (or an assumed role) of this moto, and is
   * authorized against that principal's policies. Default: never (moto's
   * default, what every other test runs against).
   */
  enforceIamAfterCalls?: number;
}

export async function startMoto(
  logDir: string,
  options: MotoOptions = {},
): Promise<MotoPeer> {
  const port = await freePort();
  const enforcement =
    options.enforceIamAfterCalls === undefined
      ? {}
      : { INITIAL_NO_AUTH_ACTION_COUNT: String(options.enforceIamAfterCalls) };
  const child = startChild(
    'moto_server',
    motoPython(),
    [KEEP_ALIVE_SERVER, '-H', '127.0.0.1', '-p', String(port)],
    path.join(logDir, 'moto.log'),
    {
      env: {
        ...process.env,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...enforcement,
      },
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor(
    'moto_server to answer',
    async () => {
      if (child.exited) throw new Error(`moto_server exited:\n${child.tail()}`);
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      return res.ok;
    },
    60_000,
  );
  return { endpoint, port, child };
}
