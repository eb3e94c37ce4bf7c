/**
 * The sandbox's CRD source, which needs no ../shared: the Gateway API and AWS
 * Load Balancer Controller CRDs from the Go module proxy (the published module
 * zips hold them), each module pinned by its h1: sum and re-hashed here before
 * a file is used. The result is a folder the peers harness reads instead of
 * the reference folder (PEERS_CRD_DIR, test/peers/crds.ts).
 *
 * The controller's v3 module (its release tags) is refused by the proxy; it
 * serves the repository only as pseudo-versions of the v0 module path. The
 * pinned one holds the gateway.k8s.aws CRDs served as v1beta1 only, with the
 * very schemas v3.5.0 serves as v1 and v1beta1; the sandbox adds v1 as v3.5.0
 * does (see serveAsV1). Its IAM policy document is byte-identical to the one
 * v3.5.0 publishes (same sha256), which the controller setup pins.
 */
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { hashModuleDir } from './dirhash';

export interface GoModulePin {
  path: string;
  version: string;
  /** go.sum-style h1: hash of the module zip's content. */
  sum: string;
}

export const GATEWAY_API_MODULE: GoModulePin = {
  path: 'sigs.k8s.io/gateway-api',
  version: 'v1.6.3',
  sum: 'h1:lKpJa5bGlraC/QeACvCpsHLdmO6y0iKfzVl6gzaFEYc=',
};

export const LBC_MODULE: GoModulePin = {
  path: 'sigs.k8s.io/aws-load-balancer-controller',
  // 2026-04-23, the newest the proxy serves (checked when pinned)
  version: 'v0.0.0-20260423195125-93ff3b5fdaad',
  sum: 'h1:um5R2nbXcfFJoHX8WZJZU+1uwuofXwR0V9FCF4sdK7g=',
};

/** The controller's IAM policy inside the LBC module, and the release whose published document it equals. */
export const LBC_IAM_POLICY = {
  file: 'docs/install/iam_policy.json',
  sameAsRelease: 'v3.5.0',
  sha256: '16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a',
};

/** The peers' CRD profile the sandbox runs, and which module folders make it. */
export const SANDBOX_PROFILE = 'gateway-api-v1.6';
const PROFILE_SOURCES: Array<{
  module: GoModulePin;
  dir: string;
  files: RegExp;
}> = [
  // the standard channel, with the safe-upgrades ValidatingAdmissionPolicy
  {
    module: GATEWAY_API_MODULE,
    dir: 'config/crd/standard',
    files: /^gateway\.networking\.k8s\.io_.*\.yaml$/,
  },
  // LoadBalancerConfiguration, TargetGroupConfiguration, ListenerRuleConfiguration (not the combined gateway-crds.yaml)
  {
    module: LBC_MODULE,
    dir: 'config/crd/gateway',
    files: /^gateway\.k8s\.aws_.*\.yaml$/,
  },
  // TargetGroupBinding and the other elbv2.k8s.aws CRDs
  {
    module: LBC_MODULE,
    dir: 'config/crd/bases',
    files: /^elbv2\.k8s\.aws_.*\.yaml$/,
  },
];

const LBC_GATEWAY_GROUP = 'gateway.k8s.aws';
const GO_TIMEOUT_MS = 5 * 60_000;

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

const verified = new Map<GoModulePin, string>();

/** Downloads (or finds in Go's module cache) one pinned module and returns its verified directory. */
export async function downloadVerifiedModule(
  module: GoModulePin,
): Promise<string> {
  const known = verified.get(module);
  if (known) return known;
  const ref = `${module.path}@${module.version}`;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      'go',
      ['mod', 'download', '-json', ref],
      // outside any module; GOFLAGS of the caller (e.g. -mod=mod) do not apply
      {
        cwd: os.tmpdir(),
        env: { ...process.env, GOFLAGS: '' },
        timeout: GO_TIMEOUT_MS,
        maxBuffer: 1 << 20,
      },
      (error, out) => {
        // go mod download -json reports a module's own error in the JSON, with exit code 1
        if (error && !out)
          reject(new Error(`go mod download ${ref}: ${error.message}`));
        else resolve(out);
      },
    );
  });
  const info = JSON.parse(stdout) as {
    Dir?: string;
    Sum?: string;
    Error?: string;
  };
  if (info.Error || !info.Dir)
    throw new Error(`go mod download ${ref}: ${info.Error ?? 'no directory'}`);
  verified.set(module, verifyModuleDir(module, info.Dir));
  return info.Dir;
}

/** Checks an extracted module against its pinned h1: sum; returns the directory. */
export function verifyModuleDir(module: GoModulePin, dir: string): string {
  const actual = hashModuleDir(dir, `${module.path}@${module.version}`);
  if (actual !== module.sum) {
    throw new Error(
      `${module.path}@${module.version} in ${dir} does not match its pinned sum (${module.sum}, found ${actual}); ` +
        'remove it from the Go module cache (go clean -modcache) and start again',
    );
  }
  return dir;
}

/**
 * A gateway.k8s.aws CRD that serves only v1beta1, served the way LBC v3.5.0
 * serves it: v1 (the storage version) with the same schema, subresources and
 * columns, v1beta1 still served and marked deprecated. Other CRDs, and CRDs
 * that already serve v1, are returned unchanged.
 */
export function serveAsV1(crd: any): any {
  if (
    crd?.kind !== 'CustomResourceDefinition' ||
    crd.spec?.group !== LBC_GATEWAY_GROUP
  )
    return crd;
  const versions: any[] = crd.spec.versions ?? [];
  const v1beta1 = versions.find(v => v.name === 'v1beta1');
  if (versions.some(v => v.name === 'v1') || !v1beta1) return crd;
  const kind = crd.spec.names.kind;
  return {
    ...crd,
    spec: {
      ...crd.spec,
      versions: [
        { ...v1beta1, name: 'v1', served: true, storage: true },
        {
          ...v1beta1,
          served: true,
          storage: false,
          deprecated: true,
          deprecationWarning: `${LBC_GATEWAY_GROUP}/v1beta1 ${kind} is deprecated; use ${LBC_GATEWAY_GROUP}/v1 instead`,
        },
      ],
    },
  };
}

/** The CRD (and admission policy) documents of one file, as the sandbox applies them. */
export function sandboxDocuments(yamlText: string): string {
  const docs = YAML.parseAllDocuments(yamlText).map(d => d.toJS());
  return docs
    .filter(d => d && typeof d === 'object')
    .map(d => YAML.stringify(serveAsV1(d)))
    .join('---\n');
}

/**
 * Builds <root>/<profile>/ from the pinned modules and returns <root>, the
 * folder to give the peers as PEERS_CRD_DIR. Every start re-verifies the
 * modules (about a second) and rewrites the folder.
 */
export async function prepareSandboxCrds(root: string): Promise<string> {
  const moduleDirs = new Map<GoModulePin, string>();
  for (const module of new Set(PROFILE_SOURCES.map(s => s.module))) {
    moduleDirs.set(module, await downloadVerifiedModule(module));
  }
  const out = path.join(root, SANDBOX_PROFILE);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const source of PROFILE_SOURCES) {
    const dir = path.join(moduleDirs.get(source.module)!, source.dir);
    for (const file of fs
      .readdirSync(dir)
      .filter(f => source.files.test(f))
      .sort()) {
      fs.writeFileSync(
        path.join(out, file),
        sandboxDocuments(fs.readFileSync(path.join(dir, file), 'utf8')),
      );
    }
  }
  return root;
}

/** The controller's IAM policy document from the verified LBC module, checked against the pinned sha256. */
export async function lbcIamPolicy(): Promise<{
  release: string;
  document: Buffer;
}> {
  const dir = await downloadVerifiedModule(LBC_MODULE);
  const document = fs.readFileSync(path.join(dir, LBC_IAM_POLICY.file));
  if (sha256(document) !== LBC_IAM_POLICY.sha256) {
    throw new Error(
      `${LBC_IAM_POLICY.file} of ${LBC_MODULE.path}@${LBC_MODULE.version} is not the pinned document`,
    );
  }
  return { release: LBC_IAM_POLICY.sameAsRelease, document };
}
