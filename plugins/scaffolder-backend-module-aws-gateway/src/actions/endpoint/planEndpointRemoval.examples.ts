import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check that the classic endpoint (Gateway default/aws-tcp-gateway) may be removed and list its files; aws-gateway:gitops:commit with removeGateway then deletes them',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'aws-gateway:endpoint:plan-removal',
          name: 'Read the endpoint',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            namespace: 'default',
            name: 'aws-tcp-gateway',
            entityRef: 'component:default/backend',
          },
        },
      ],
    }),
  },
];
