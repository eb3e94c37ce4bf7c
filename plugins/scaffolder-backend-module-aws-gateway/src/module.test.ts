import fs from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { AWS_GATEWAY_ACTION_IDS } from '@gateway-portal/plugin-aws-gateway-node';
import { parse } from 'yaml';
import { scaffolderModuleAwsGateway } from './module';

const TEMPLATES = path.resolve(__dirname, '..', '..', '..', 'templates');

async function registeredActionIds(): Promise<string[]> {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...a: TemplateAction<any, any, any>[]) =>
            actions.push(...a),
        },
      ],
    ],
    features: [
      scaffolderModuleAwsGateway,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return actions.map(a => a.id);
}

describe('scaffolderModuleAwsGateway', () => {
  it('registers exactly the suite action ids the permission policy knows', async () => {
    const ids = await registeredActionIds();
    expect([...ids].sort()).toEqual([...AWS_GATEWAY_ACTION_IDS].sort());
  });

  it('registers every aws-gateway action the templates use', async () => {
    const ids = new Set(await registeredActionIds());
    const used = fs
      .readdirSync(TEMPLATES)
      .flatMap(dir => {
        const file = path.join(TEMPLATES, dir, 'template.yaml');
        if (!fs.existsSync(file)) return [];
        const steps: { action: string }[] = parse(fs.readFileSync(file, 'utf8'))
          .spec.steps;
        return steps.map(s => s.action);
      })
      .filter(action => action.startsWith('aws-gateway:'));
    expect(used.length).toBeGreaterThanOrEqual(10);
    expect(used.filter(action => !ids.has(action))).toEqual([]);
  });
});
