import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Controller v3.5.0 (Gateway API v1.6): Helm values, GatewayClass aws-nlb and an internal default LoadBalancerConfiguration in kube-system',
    example: yaml.stringify({
      steps: [
        {
          id: 'render-controller',
          action: 'aws-gateway:controller:render',
          name: 'Render the controller setup',
          input: {
            cluster: 'demo',
            region: 'eu-west-1',
            accountId: '111122223333',
            vpcId: 'vpc-0123456789abcdef0',
            controllerVersion: 'v3.5.0',
            roleArn:
              'arn:aws:iam::111122223333:role/backstage/backstage-lbc-demo',
            gatewayClassName: 'aws-nlb',
          },
        },
      ],
    }),
  },
  {
    description:
      'Controller v2.17.1 (Gateway API v1.3, NLB feature gate off by default): internet-facing by default, open only to one CIDR, into a sub-folder',
    example: yaml.stringify({
      steps: [
        {
          id: 'render-controller',
          action: 'aws-gateway:controller:render',
          name: 'Render the controller setup',
          input: {
            cluster: 'demo',
            region: 'eu-west-1',
            controllerVersion: 'v2.17.1',
            gatewayClassName: 'public-nlb',
            scheme: 'internet-facing',
            sourceCidrs: ['203.0.113.0/24'],
            tags: { team: 'platform' },
            outputDir: 'gitops/controller',
          },
        },
      ],
    }),
  },
];
