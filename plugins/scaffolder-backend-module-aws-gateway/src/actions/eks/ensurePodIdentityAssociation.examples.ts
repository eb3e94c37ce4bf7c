import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "The AWS Load Balancer Controller's service account (the default kube-system/aws-load-balancer-controller)",
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:eks:ensure-pod-identity-association',
          id: 'controller-association',
          name: 'Controller Pod Identity association',
          input: {
            accountId: '111122223333',
            region: 'eu-west-1',
            cluster: 'demo',
            roleArn: '${{ steps["controller-role"].output.roleArn }}',
          },
        },
      ],
    }),
  },
  {
    description: 'An explicit namespace and service account with a known role',
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:eks:ensure-pod-identity-association',
          id: 'status-association',
          name: 'Gateway status reader association',
          input: {
            accountId: '111122223333',
            region: 'eu-west-1',
            cluster: 'demo',
            namespace: 'backstage',
            serviceAccount: 'backstage',
            roleArn:
              'arn:aws:iam::111122223333:role/backstage/backstage-gateway-reader',
          },
        },
      ],
    }),
  },
];
