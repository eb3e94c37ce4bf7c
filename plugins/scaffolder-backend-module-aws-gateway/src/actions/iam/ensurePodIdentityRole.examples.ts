import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "The AWS Load Balancer Controller's role, with the policy made by aws-gateway:iam:ensure-policy attached",
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:iam:ensure-pod-identity-role',
          id: 'controller-role',
          name: 'Controller IAM role',
          input: {
            accountId: '111122223333',
            region: 'eu-west-1',
            roleName: 'backstage-aws-load-balancer-controller',
            cluster: 'demo',
            policyArns: ['${{ steps["controller-policy"].output.policyArn }}'],
            description: 'AWS Load Balancer Controller (EKS Pod Identity)',
          },
        },
      ],
    }),
  },
  {
    description: 'A role with an explicitly allowed policy and extra tags',
    example: yaml.stringify({
      steps: [
        {
          action: 'aws-gateway:iam:ensure-pod-identity-role',
          id: 'reader-role',
          name: 'Read-only role',
          input: {
            accountId: '111122223333',
            roleName: 'backstage-gateway-reader',
            cluster: 'demo',
            namespace: 'kube-system',
            serviceAccount: 'aws-load-balancer-controller',
            policyArns: [
              'arn:aws:iam::aws:policy/ElasticLoadBalancingReadOnly',
            ],
            tags: { app: 'gateway-status' },
          },
        },
      ],
    }),
  },
];
