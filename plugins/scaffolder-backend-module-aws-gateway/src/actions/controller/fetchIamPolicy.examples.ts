import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "The controller's IAM policy for v3.5.0, written to iam_policy.json",
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:controller:fetch-iam-policy',
          id: 'fetch-policy',
          name: 'Fetch the controller IAM policy',
          input: { version: 'v3.5.0' },
        },
      ],
    }),
  },
  {
    description: 'An older release into a sub-folder',
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:controller:fetch-iam-policy',
          id: 'fetch-policy-v2',
          name: 'Fetch the v2.17.1 policy',
          input: { version: 'v2.17.1', targetPath: 'iam/lbc-v2.17.1.json' },
        },
      ],
    }),
  },
];
