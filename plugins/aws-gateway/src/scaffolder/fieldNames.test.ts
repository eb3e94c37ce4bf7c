import fs from 'node:fs';
import path from 'node:path';
import { ExtensionDefinition } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { awsGatewayFormFields } from '../alpha';
import { AWS_GATEWAY_FIELD_NAMES } from './fieldNames';

const TEMPLATES = path.resolve(__dirname, '..', '..', '..', '..', 'templates');

/** `ui:field: Name` lines of a template (the only place the YAML names a field). */
function uiFieldsOf(template: string): string[] {
  const text = fs.readFileSync(
    path.join(TEMPLATES, template, 'template.yaml'),
    'utf8',
  );
  return [...text.matchAll(/^\s*ui:field:\s*(\S+)\s*$/gm)].map(m => m[1]);
}

describe('the field extensions and the templates', () => {
  it('registers, in the new frontend system, exactly the fields this plugin names', async () => {
    const names = await Promise.all(
      awsGatewayFormFields.map(async extension => {
        // One blueprint: every entry has the same output.
        const load = createExtensionTester(
          extension as ExtensionDefinition<
            (typeof awsGatewayFormFields)[0]['T']
          >,
        ).get(FormFieldBlueprint.dataRefs.formFieldLoader);
        return ((await load()) as unknown as { name: string }).name;
      }),
    );
    expect(names.sort()).toEqual(Object.values(AWS_GATEWAY_FIELD_NAMES).sort());
  });

  it('the expose template uses every field but the endpoint picker, the change and remove templates that one, and the templates no field this plugin lacks', () => {
    const expose = uiFieldsOf('expose-tcp-endpoint');
    const { endpoint, ...exposeFields } = AWS_GATEWAY_FIELD_NAMES;
    expect(new Set(expose)).toEqual(
      new Set([
        'EntityPicker',
        'RepoUrlPicker',
        ...Object.values(exposeFields),
      ]),
    );
    const change = uiFieldsOf('change-tcp-endpoint');
    const remove = uiFieldsOf('remove-tcp-endpoint');
    expect(change).toContain(endpoint);
    expect(remove).toContain(endpoint);
    const ours = new Set<string>(Object.values(AWS_GATEWAY_FIELD_NAMES));
    const unknown = [
      ...expose,
      ...change,
      ...remove,
      ...uiFieldsOf('controller-setup'),
    ].filter(name => name.startsWith('AwsGateway') && !ours.has(name));
    expect(unknown).toEqual([]);
  });
});
