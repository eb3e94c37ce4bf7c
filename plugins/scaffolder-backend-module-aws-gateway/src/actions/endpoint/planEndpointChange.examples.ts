import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Move the classic endpoint (Gateway default/aws-tcp-gateway, one listener) to port 9090 and open it to one more CIDR; its render input goes on to aws-gateway:endpoint:render',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'aws-gateway:endpoint:plan-change',
          name: 'Read the endpoint and apply the change',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'main',
            namespace: 'default',
            name: 'aws-tcp-gateway',
            entityRef: 'component:default/backend',
            change: {
              listeners: [{ port: 9090 }],
              sourceCidrs: ['203.0.113.0/24', '198.51.100.0/24'],
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Make it internal and send its route to another Service, reading from the review branch of an earlier change when it exists (else from main)',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'aws-gateway:endpoint:plan-change',
          name: 'Read the endpoint and apply the change',
          input: {
            repoUrl: 'https://git.example.com/platform/gitops.git',
            branch: 'aws-gateway/default-aws-tcp-gateway',
            baseBranch: 'main',
            namespace: 'default',
            name: 'aws-tcp-gateway',
            entityRef: 'component:default/backend',
            change: {
              scheme: 'internal',
              sourceCidrs: [],
              routes: [
                {
                  name: 'tcp-backend-aws',
                  backends: [{ service: 'backend-v2', port: 3000 }],
                },
              ],
            },
          },
        },
      ],
    }),
  },
];
