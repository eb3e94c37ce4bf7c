import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { GitOpsRepoPickerHostsProcessor } from './GitOpsRepoPickerHostsProcessor';

const config = new ConfigReader({
  integrations: {
    gitea: [{ host: 'git.example.com', baseUrl: 'https://git.example.com' }],
  },
  awsGateway: {
    provisioning: {
      gitops: {
        allowedRepoUrls: [
          'https://git.example.com/platform/*',
          // No integration for this host: the picker could not list it.
          'https://other.example.com/platform/*',
        ],
      },
    },
  },
});

function template(
  repoField: NonNullable<Entity['spec']>[string],
  action = 'aws-gateway:gitops:commit',
): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 't' },
    spec: {
      parameters: [
        { properties: { name: { type: 'string' } } },
        { properties: { repoUrl: repoField } },
      ],
      steps: [{ id: 'commit', action }],
    },
  };
}

const picker = { type: 'string', 'ui:field': 'RepoUrlPicker' };

function repoOptions(entity: Entity) {
  return (entity.spec as any).parameters[1].properties.repoUrl['ui:options'];
}

describe('GitOpsRepoPickerHostsProcessor', () => {
  const processor = GitOpsRepoPickerHostsProcessor.fromConfig(config);

  it('offers the allowed hosts that have an integration, keeping other options', async () => {
    const entity = template({ ...picker, 'ui:options': { ownerLabel: 'O' } });
    const result = await processor.preProcessEntity(entity);
    expect(repoOptions(result)).toEqual({
      ownerLabel: 'O',
      allowedHosts: ['git.example.com'],
    });
    // The input entity is not changed.
    expect(repoOptions(entity)).toEqual({ ownerLabel: 'O' });
  });

  it('keeps allowedHosts the template names', async () => {
    const entity = template({
      ...picker,
      'ui:options': { allowedHosts: ['github.com'] },
    });
    expect(await processor.preProcessEntity(entity)).toBe(entity);
  });

  it('leaves templates without the GitOps actions, other kinds and hostile shapes alone', async () => {
    const other = template(picker, 'publish:github');
    expect(await processor.preProcessEntity(other)).toBe(other);
    const component = { ...template(picker), kind: 'Component' };
    expect(await processor.preProcessEntity(component)).toBe(component);
    const hostile = template(picker);
    (hostile.spec as any).parameters = [null, 'x', { properties: [1] }];
    (hostile.spec as any).steps.push(null, { action: 3 });
    expect(await processor.preProcessEntity(hostile)).toBe(hostile);
  });

  it('changes nothing when no allowed host has an integration', async () => {
    const none = GitOpsRepoPickerHostsProcessor.fromConfig(
      new ConfigReader({}),
    );
    const entity = template(picker);
    expect(await none.preProcessEntity(entity)).toBe(entity);
  });
});
