import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Remove the orders listener of team-a from the platform's shared NLB, and its route, through a pull request to the platform's GitOps repository",
    example: yaml.stringify({
      steps: [
        {
          id: 'remove',
          action: 'aws-gateway:endpoint:remove-shared-listener',
          name: 'Remove the listener from the shared gateway',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            routeName: 'orders',
            entityRef: 'component:default/orders',
          },
        },
      ],
    }),
  },
];
