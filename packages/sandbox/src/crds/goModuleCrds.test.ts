import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { hashModuleDir } from './dirhash';
import {
  GoModulePin,
  sandboxDocuments,
  serveAsV1,
  verifyModuleDir,
} from './goModuleCrds';

const lbcV1beta1Only = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'loadbalancerconfigurations.gateway.k8s.aws' },
  spec: {
    group: 'gateway.k8s.aws',
    names: {
      kind: 'LoadBalancerConfiguration',
      plural: 'loadbalancerconfigurations',
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
        subresources: { status: {} },
        additionalPrinterColumns: [
          {
            jsonPath: '.metadata.creationTimestamp',
            name: 'AGE',
            type: 'date',
          },
        ],
      },
    ],
  },
};

describe('serveAsV1', () => {
  it('serves a v1beta1-only gateway.k8s.aws CRD as LBC v3.5.0 does: v1 stored, v1beta1 served and deprecated, one schema', () => {
    const crd = serveAsV1(lbcV1beta1Only);
    const [v1, v1beta1] = crd.spec.versions;
    expect(v1).toEqual({
      ...lbcV1beta1Only.spec.versions[0],
      name: 'v1',
      served: true,
      storage: true,
    });
    expect(v1beta1).toEqual({
      ...lbcV1beta1Only.spec.versions[0],
      storage: false,
      deprecated: true,
      deprecationWarning:
        'gateway.k8s.aws/v1beta1 LoadBalancerConfiguration is deprecated; use gateway.k8s.aws/v1 instead',
    });
    expect(v1.schema).toEqual(v1beta1.schema);
  });

  it('leaves other groups, CRDs that serve v1 already and other kinds alone', () => {
    const tgb = {
      ...lbcV1beta1Only,
      spec: { ...lbcV1beta1Only.spec, group: 'elbv2.k8s.aws' },
    };
    expect(serveAsV1(tgb)).toBe(tgb);
    const already = serveAsV1(lbcV1beta1Only);
    expect(serveAsV1(already)).toBe(already);
    const policy = {
      kind: 'ValidatingAdmissionPolicy',
      spec: { group: 'gateway.k8s.aws' },
    };
    expect(serveAsV1(policy)).toBe(policy);
  });

  it('rewrites a multi-document file and keeps x-kubernetes-* keys', () => {
    const text = sandboxDocuments(
      `${YAML.stringify(lbcV1beta1Only)}---\n# comment only\n`,
    );
    const docs = YAML.parseAllDocuments(text).map(d => d.toJS());
    expect(docs).toHaveLength(1);
    expect(docs[0].spec.versions.map((v: any) => v.name)).toEqual([
      'v1',
      'v1beta1',
    ]);
    expect(text).toContain('x-kubernetes-preserve-unknown-fields: true');
  });
});

describe('module verification (Go h1: sums)', () => {
  let dir: string;
  const module: GoModulePin = {
    path: 'example.com/crds',
    version: 'v1.0.0',
    sum: '',
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirhash-'));
    fs.mkdirSync(path.join(dir, 'config', 'crd'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/crds\n');
    fs.writeFileSync(
      path.join(dir, 'config', 'crd', 'a.yaml'),
      'kind: CustomResourceDefinition\n',
    );
    fs.writeFileSync(path.join(dir, 'Z.md'), 'upper case sorts first\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('computes what `go mod verify` computes (checked against coreutils and openssl)', () => {
    // The algorithm as golang.org/x/mod/sumdb/dirhash documents it, with other tools.
    const script = `cd "$1" && find . -type f | sed 's|^\\./||' | LC_ALL=C sort | while read -r f; do
      printf '%s  %s\\n' "$(sha256sum "$f" | cut -d' ' -f1)" "example.com/crds@v1.0.0/$f"; done | openssl dgst -sha256 -binary | base64`;
    const expected = `h1:${execFileSync('bash', ['-c', script, 'hash', dir], {
      encoding: 'utf8',
    }).trim()}`;
    expect(hashModuleDir(dir, 'example.com/crds@v1.0.0')).toBe(expected);
  });

  it('accepts the module when the sum matches, and refuses a changed, added or removed file', () => {
    const pinned = {
      ...module,
      sum: hashModuleDir(dir, 'example.com/crds@v1.0.0'),
    };
    expect(verifyModuleDir(pinned, dir)).toBe(dir);
    fs.appendFileSync(path.join(dir, 'config', 'crd', 'a.yaml'), 'spec: {}\n');
    expect(() => verifyModuleDir(pinned, dir)).toThrow(
      /example\.com\/crds@v1\.0\.0 in .* does not match its pinned sum/,
    );
    fs.writeFileSync(
      path.join(dir, 'config', 'crd', 'a.yaml'),
      'kind: CustomResourceDefinition\n',
    );
    expect(verifyModuleDir(pinned, dir)).toBe(dir);
    fs.writeFileSync(
      path.join(dir, 'config', 'crd', 'b.yaml'),
      'kind: CustomResourceDefinition\n',
    );
    expect(() => verifyModuleDir(pinned, dir)).toThrow(/does not match/);
    fs.rmSync(path.join(dir, 'config', 'crd', 'b.yaml'));
    fs.rmSync(path.join(dir, 'Z.md'));
    expect(() => verifyModuleDir(pinned, dir)).toThrow(/does not match/);
  });

  it('refuses a symbolic link in the module directory (a module zip holds none)', () => {
    fs.symlinkSync('/etc/passwd', path.join(dir, 'config', 'crd', 'link.yaml'));
    expect(() => hashModuleDir(dir, 'example.com/crds@v1.0.0')).toThrow(
      /config\/crd\/link\.yaml .* is not a regular file/,
    );
  });
});
