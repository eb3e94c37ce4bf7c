import { createMockDirectory } from '@backstage/backend-test-utils';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { packageTemplatesDir, readBundledTemplates } from './bundledTemplates';

const TEMPLATE = (name: string, kind = 'Template') =>
  `apiVersion: scaffolder.backstage.io/v1beta3\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  steps: []\n`;

describe('readBundledTemplates', () => {
  it("the package's own folder is the repository's templates/ folder", async () => {
    expect(await realpath(packageTemplatesDir())).toBe(
      await realpath(resolve(__dirname, '..')),
    );
  });

  it('registers exactly the templates of templates/, unchanged but for the location', async () => {
    const dir = packageTemplatesDir();
    const folders = readdirSync(dir).filter(folder =>
      existsSync(join(dir, folder, 'template.yaml')),
    );
    const entities = await readBundledTemplates(dir);

    expect(entities.map(entity => entity.metadata.name)).toEqual(folders);
    expect(folders).toEqual([
      'change-tcp-endpoint',
      'controller-setup',
      'expose-tcp-endpoint',
      'remove-tcp-endpoint',
    ]);
    for (const entity of entities) {
      const file = join(dir, entity.metadata.name, 'template.yaml');
      const source = parse(readFileSync(file, 'utf8'));
      expect(entity.spec).toEqual(source.spec);
      expect(entity.metadata.title).toBe(source.metadata.title);
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': `file:${file}`,
        'backstage.io/managed-by-origin-location': `file:${file}`,
      });
    }
  });

  describe('refuses what is not a template shipped in its own folder', () => {
    const mockDir = createMockDirectory();

    it('a name other than the folder', async () => {
      mockDir.setContent({ 'one/template.yaml': TEMPLATE('other') });
      await expect(readBundledTemplates(mockDir.path)).rejects.toThrow(
        `${mockDir.resolve(
          'one/template.yaml',
        )}: metadata.name must be the folder's name, one`,
      );
    });

    it('another kind', async () => {
      mockDir.setContent({
        one: { 'template.yaml': TEMPLATE('one', 'Component') },
      });
      await expect(readBundledTemplates(mockDir.path)).rejects.toThrow(
        'apiVersion and kind must be scaffolder.backstage.io/v1beta3 Template',
      );
    });

    it('a symbolic link', async () => {
      mockDir.setContent({ outside: TEMPLATE('one'), one: {} });
      symlinkSync(
        mockDir.resolve('outside'),
        mockDir.resolve('one/template.yaml'),
      );
      await expect(readBundledTemplates(mockDir.path)).rejects.toThrow(
        `${mockDir.resolve('one/template.yaml')} must be a regular file`,
      );
    });

    it('no template at all', async () => {
      mockDir.setContent({ src: { 'index.ts': '' } });
      await expect(readBundledTemplates(mockDir.path)).rejects.toThrow(
        `no template.yaml in any folder of ${mockDir.path}`,
      );
    });
  });
});
