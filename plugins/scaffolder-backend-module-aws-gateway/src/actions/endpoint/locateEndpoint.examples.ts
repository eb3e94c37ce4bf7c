import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Find whether team-a's endpoint orders is a Gateway of its own in the team's GitOps repository or a listener on a configured shared Gateway; later steps take the branch for its kind",
    example: yaml.stringify({
      steps: [
        {
          id: 'locate',
          action: 'aws-gateway:endpoint:locate',
          name: 'Find the endpoint',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            namespace: 'team-a',
            name: 'orders',
            entityRef: 'component:default/orders',
          },
        },
      ],
    }),
  },
];
