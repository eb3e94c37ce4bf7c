/**
 * Optional: the AWS Load Balancer Controller v3.5.0 binary, built with
 * `go install` (GOBIN=<cache>/lbc/v3.5.0) and cached like kube-apiserver.
 * Not wired into tests: the Go module proxy here refuses the module, so the
 * tests use the stand-in in fixtures/controller/ (see test/README.md, "The
 * controller stand-in"); `peers install --lbc` builds it where the proxy
 * serves it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cachePath, log, timed } from './cache';
import { runLogged } from './proc';

export const LBC_VERSION = 'v3.5.0';

export function lbcBin(): string {
  return cachePath('lbc', LBC_VERSION, 'aws-load-balancer-controller');
}

export function lbcInstalled(): boolean {
  return fs.existsSync(lbcBin());
}

export async function installLbc(): Promise<void> {
  if (lbcInstalled()) {
    log(`aws-load-balancer-controller ${LBC_VERSION}: cached at ${lbcBin()}`);
    return;
  }
  const dir = path.dirname(lbcBin());
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(cachePath('logs'), { recursive: true });
  const tmp = `${dir}.tmp`;
  const script = `
    set -e
    [ -x "${lbcBin()}" ] && exit 0
    rm -rf "${tmp}"; mkdir -p "${tmp}"
    GOBIN="${tmp}" go install -trimpath -ldflags "-s -w" sigs.k8s.io/aws-load-balancer-controller/v3@${LBC_VERSION}
    f=$(ls "${tmp}" | head -1); mv "${tmp}/$f" "${lbcBin()}"; rm -rf "${tmp}"`;
  const logFile = cachePath('logs', 'lbc-build.log');
  try {
    await timed(`go install aws-load-balancer-controller ${LBC_VERSION}`, () =>
      runLogged('flock', [`${dir}.lock`, 'bash', '-c', script], logFile, {
        cwd: dir,
        env: { ...process.env, GOFLAGS: '-mod=mod' },
      }),
    );
  } catch (e) {
    if (
      /403 Forbidden|not available/.test(
        e instanceof Error ? e.message : String(e),
      )
    ) {
      throw new Error(
        `the Go module proxy refuses sigs.k8s.io/aws-load-balancer-controller/v3@${LBC_VERSION} (403 "not available") ` +
          `on this machine; the optional LBC binary cannot be built here. Log: ${logFile}`,
      );
    }
    throw e;
  }
}
