import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';

const MAX_FILES = 64;
const MAX_FILE_BYTES = 256 * 1024;

/**
 * The regular files directly in a workspace directory. Links, devices and
 * sub-directories are refused: the render actions write none of them.
 */
export async function readWorkspaceFiles(
  directory: string,
  sourcePath: string,
) {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch {
    throw new InputError(
      `sourcePath: workspace directory "${sourcePath}" does not exist`,
    );
  }
  if (!entries.length)
    throw new InputError(
      `sourcePath: workspace directory "${sourcePath}" has no files`,
    );
  if (entries.length > MAX_FILES)
    throw new InputError(
      `sourcePath: more than ${MAX_FILES} files in "${sourcePath}"`,
    );
  const files: Array<{ name: string; content: string }> = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(directory, entry.name);
    const stat = await fs.lstat(file);
    if (!stat.isFile()) {
      throw new InputError(
        `sourcePath: "${sourcePath}/${entry.name}" is ${
          stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'
        }; only the files the render actions write are committed [not-rendered]`,
      );
    }
    if (stat.size > MAX_FILE_BYTES) {
      throw new InputError(
        `sourcePath: "${sourcePath}/${entry.name}" is larger than ${MAX_FILE_BYTES} bytes [not-rendered]`,
      );
    }
    files.push({ name: entry.name, content: await fs.readFile(file, 'utf8') });
  }
  return files;
}
