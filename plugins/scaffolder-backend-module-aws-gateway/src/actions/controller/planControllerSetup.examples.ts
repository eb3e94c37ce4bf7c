import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Before the policy, role and association steps of the controller setup: check them all with reads only',
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:controller:plan',
          id: 'plan',
          name: 'Plan the AWS changes (read-only)',
          input: {
            accountId: '111122223333',
            region: 'eu-west-1',
            cluster: 'demo',
            policyName: 'backstage-lbc-demo',
            documentPath: 'iam/iam_policy.json',
            roleName: 'backstage-lbc-demo',
          },
        },
      ],
    }),
  },
];
