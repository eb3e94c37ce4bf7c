/**
 * Go's module hash ("h1:", golang.org/x/mod/sumdb/dirhash Hash1), computed
 * over an extracted module directory as `go mod verify` does: one line
 * `<sha256 hex>  <module@version/path>` per file, sorted by name, and the
 * base64 SHA-256 of those lines. The same value go.sum and the checksum
 * database hold, so a module pinned by its h1 sum can be re-checked here
 * without trusting the module cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function filesUnder(root: string, rel = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), {
    withFileTypes: true,
  })) {
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...filesUnder(root, name));
    else if (entry.isFile()) files.push(name);
    // A module zip holds regular files only: anything else was not extracted by go.
    else throw new Error(`${name} in ${root} is not a regular file`);
  }
  return files;
}

/** The h1: hash of the files under `dir`, named `<prefix>/<relative path>` (prefix: `module@version`). */
export function hashModuleDir(dir: string, prefix: string): string {
  const names = filesUnder(dir).map(rel => ({ rel, name: `${prefix}/${rel}` }));
  // Go sorts by byte order of the names.
  names.sort((a, b) =>
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
  );
  const summary = crypto.createHash('sha256');
  for (const { rel, name } of names) {
    if (name.includes('\n'))
      throw new Error(`file name with a newline in ${dir}`);
    const digest = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(dir, rel)))
      .digest('hex');
    summary.update(`${digest}  ${name}\n`);
  }
  return `h1:${summary.digest('base64')}`;
}
