/**
 * better-sqlite3, the adopter app's database, installs with prebuild-install:
 * an adopter's machine downloads the binary for its Node from the package's
 * GitHub releases. This machine has no internet, so without help it compiles
 * SQLite from source (about two minutes on two cores), a wait no adopter has.
 * The test offers instead the binary this repository's install built from
 * the same version for the same Node, as a local prebuild (prebuild-install's
 * `npm_config_<package>_local_prebuilds` folder). Another version in the app
 * finds nothing there and is compiled, as before.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../peers/cache';

const PACKAGE = 'better-sqlite3';
const BINARY = path.join('build', 'Release', 'better_sqlite3.node');

/** The environment for the app's installs: where prebuild-install finds the repository's better-sqlite3 binary. */
export function offerRepositoryPrebuilds(outDir: string): NodeJS.ProcessEnv {
  const packageDir = path.join(REPO_ROOT, 'node_modules', PACKAGE);
  if (!fs.existsSync(path.join(packageDir, BINARY))) return {};
  const { version } = JSON.parse(
    fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
  );
  // prebuild-install's file name: {name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz
  const file = `${PACKAGE}-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const prebuilds = path.join(outDir, 'prebuilds');
  fs.mkdirSync(prebuilds, { recursive: true });
  execFileSync('tar', [
    '-czf',
    path.join(prebuilds, file),
    '-C',
    packageDir,
    BINARY,
  ]);
  return {
    [`npm_config_${PACKAGE.replace(/[^a-zA-Z0-9]/g, '_')}_local_prebuilds`]:
      prebuilds,
  };
}
