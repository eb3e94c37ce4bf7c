/**
 * The folder of real CRDs and IAM policies the tests compare against
 * (`<shared>/reference`), kept outside the repository and never copied into it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** `<repo>/../shared`, from this package's place in the repository. */
function defaultSharedDir(): string {
  return path.resolve(
    resolvePackagePath('@gateway-portal/plugin-aws-gateway-node'),
    '../../../shared',
  );
}

/**
 * The reference folder: `$SHARED_DIR/reference`, else
 * `<repo>/../shared/reference`. Throws when it does not exist, so that a test
 * fails with where it looked instead of with a bare ENOENT.
 */
export function referenceDir(): string {
  const sharedDir = process.env.SHARED_DIR || defaultSharedDir();
  const dir = path.resolve(sharedDir, 'reference');
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(
      `Reference folder missing: ${dir} (set SHARED_DIR to the folder holding reference/)`,
    );
  }
  return dir;
}
