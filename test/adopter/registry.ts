/**
 * A throw-away npm registry on loopback that serves the packed tarballs, so an
 * adopter's app installs our packages with the README's `yarn add` lines
 * unchanged, as it would from npmjs.com once they are published. It answers
 * only our scope; every other package still comes from the real registry.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

export interface PackedPackage {
  name: string;
  tarball: string;
}

export interface LocalRegistry {
  url: string;
  /** Resolves when the packages are served; rejects with why they cannot be. */
  ready: Promise<void>;
  close(): Promise<void>;
}

interface Packument {
  name: string;
  'dist-tags': { latest: string };
  versions: Record<string, unknown>;
  time: Record<string, string>;
}

function packumentOf(pkg: PackedPackage, tarballUrl: string): Packument {
  const manifest = JSON.parse(
    execFileSync('tar', ['-xOzf', pkg.tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  if (manifest.name !== pkg.name) {
    throw new Error(
      `${pkg.tarball} holds ${manifest.name}, expected ${pkg.name}`,
    );
  }
  const bytes = fs.readFileSync(pkg.tarball);
  const version: string = manifest.version;
  const published = fs.statSync(pkg.tarball).mtime.toISOString();
  return {
    name: pkg.name,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        dist: {
          tarball: tarballUrl,
          shasum: crypto.createHash('sha1').update(bytes).digest('hex'),
          integrity: `sha512-${crypto
            .createHash('sha512')
            .update(bytes)
            .digest('base64')}`,
        },
      },
    },
    time: { created: published, modified: published, [version]: published },
  };
}

/**
 * Serves `packages` on 127.0.0.1 at a free port until closed. The server
 * listens at once; `packages` may still be packing (the app is created and
 * its other dependencies installed meanwhile): a request waits for them, and
 * is answered 503 when packing failed.
 */
export async function startLocalRegistry(
  packages: Promise<PackedPackage[]> | PackedPackage[],
): Promise<LocalRegistry> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const served = Promise.resolve(packages).then(packed => {
    const packuments = new Map<string, Packument>();
    const tarballs = new Map<string, string>();
    for (const pkg of packed) {
      const file = path.basename(pkg.tarball);
      tarballs.set(`/-/${file}`, pkg.tarball);
      packuments.set(pkg.name, packumentOf(pkg, `${url}/-/${file}`));
    }
    return { packuments, tarballs };
  });
  // Reported through `ready`; a request meanwhile gets a 503.
  served.catch(() => undefined);
  server.on('request', async (req, res) => {
    const requestPath = decodeURIComponent(
      new URL(req.url ?? '/', url).pathname,
    );
    let packuments: Map<string, Packument>;
    let tarballs: Map<string, string>;
    try {
      ({ packuments, tarballs } = await served);
    } catch {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'the packages could not be packed' }));
      return;
    }
    const tarball = tarballs.get(requestPath);
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      fs.createReadStream(tarball).pipe(res);
      return;
    }
    const packument = packuments.get(requestPath.slice(1));
    if (packument) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(packument));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not found' }));
  });
  return {
    url,
    ready: served.then(() => undefined),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
