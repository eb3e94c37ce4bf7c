import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "The AWS Load Balancer Controller's policy, fetched into the workspace by aws-gateway:controller:fetch-iam-policy",
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:iam:ensure-policy',
          id: 'controller-policy',
          name: 'Controller IAM policy',
          input: {
            accountId: '111122223333',
            region: 'eu-west-1',
            name: 'backstage-aws-load-balancer-controller',
            documentPath: 'iam_policy.json',
            description: 'AWS Load Balancer Controller',
          },
        },
      ],
    }),
  },
  {
    description: 'A small inline policy with extra tags',
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:iam:ensure-policy',
          id: 'read-only-elb',
          name: 'Read-only ELB policy',
          input: {
            accountId: '111122223333',
            name: 'backstage-elb-read-only',
            path: '/backstage/gateways/',
            tags: { 'cost-center': 'platform' },
            document: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['elasticloadbalancing:Describe*'],
                  Resource: '*',
                },
              ],
            },
          },
        },
      ],
    }),
  },
];
