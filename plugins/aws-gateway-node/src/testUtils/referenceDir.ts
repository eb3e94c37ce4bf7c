/**
 * The folder of real CRDs and IAM policies the tests compare against
 * (`$SHARED_DIR/reference`), kept outside the repository and never copied
 * into it. `./run` sets SHARED_DIR (default: the folder beside the
 * repository), so no package resolves a place outside itself.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * The reference folder, `$SHARED_DIR/reference`. Throws when SHARED_DIR is not
 * set or the folder does not exist, so that a test fails with where it looked
 * instead of with a bare ENOENT.
 *
 * @public
 */
export function referenceDir(): string {
  const sharedDir = process.env.SHARED_DIR;
  if (!sharedDir) {
    throw new Error(
      'SHARED_DIR is not set: run the tests through ./run, or set SHARED_DIR to the folder holding reference/',
    );
  }
  const dir = path.resolve(sharedDir, 'reference');
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(
      `Reference folder missing: ${dir} (set SHARED_DIR to the folder holding reference/)`,
    );
  }
  return dir;
}
