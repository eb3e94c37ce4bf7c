import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

const PACKAGE_NAME =
  '@gateway-portal/plugin-catalog-backend-module-aws-gateway-templates';
const TEMPLATE_FILE = 'template.yaml';
const TEMPLATE_API_VERSION = 'scaffolder.backstage.io/v1beta3';

/** This package's own folder: the templates ship beside `dist/`. */
export function packageTemplatesDir(): string {
  return resolvePackagePath(PACKAGE_NAME);
}

/**
 * The software templates shipped in `dir`: one per sub-folder holding a
 * regular `template.yaml` (symbolic links are not followed), each a
 * scaffolder Template named like its folder, annotated with the file it was
 * read from as its catalog location.
 */
export async function readBundledTemplates(dir: string): Promise<Entity[]> {
  const folders = (await readdir(dir, { withFileTypes: true }))
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort();
  const templates: Entity[] = [];
  for (const folder of folders) {
    const files = await readdir(join(dir, folder), { withFileTypes: true });
    const file = files.find(entry => entry.name === TEMPLATE_FILE);
    if (!file) {
      continue;
    }
    const path = join(dir, folder, TEMPLATE_FILE);
    if (!file.isFile()) {
      throw new InputError(`${path} must be a regular file`);
    }
    templates.push(
      templateEntity(parse(await readFile(path, 'utf8')), folder, path),
    );
  }
  if (templates.length === 0) {
    throw new InputError(`no ${TEMPLATE_FILE} in any folder of ${dir}`);
  }
  return templates;
}

function templateEntity(
  document: unknown,
  folder: string,
  path: string,
): Entity {
  const entity = document as Partial<Entity> | null;
  if (
    entity?.apiVersion !== TEMPLATE_API_VERSION ||
    entity.kind !== 'Template'
  ) {
    throw new InputError(
      `${path}: apiVersion and kind must be ${TEMPLATE_API_VERSION} Template`,
    );
  }
  if (entity.metadata?.name !== folder) {
    throw new InputError(
      `${path}: metadata.name must be the folder's name, ${folder}`,
    );
  }
  const location = stringifyLocationRef({ type: 'file', target: path });
  return {
    ...entity,
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: {
      ...entity.metadata,
      name: entity.metadata.name,
      annotations: {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
    },
  };
}
