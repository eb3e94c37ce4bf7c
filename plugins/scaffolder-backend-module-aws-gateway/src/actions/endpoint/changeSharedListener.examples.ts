import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Move the orders listener of team-a on the platform's shared NLB to TCP port 20002, through a pull request to the platform's GitOps repository",
    example: yaml.stringify({
      steps: [
        {
          id: 'change',
          action: 'aws-gateway:endpoint:change-shared-listener',
          name: 'Change the listener on the shared gateway',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            routeName: 'orders',
            entityRef: 'component:default/orders',
            change: { listeners: [{ port: 20002 }] },
          },
        },
      ],
    }),
  },
  {
    description:
      'Serve the listener over UDP from another Service of the same namespace (the route becomes a UDPRoute)',
    example: yaml.stringify({
      steps: [
        {
          id: 'change',
          action: 'aws-gateway:endpoint:change-shared-listener',
          name: 'Change protocol and backend',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            routeName: 'orders',
            entityRef: 'component:default/orders',
            change: {
              listeners: [{ protocol: 'UDP' }],
              routes: [{ backends: [{ service: 'orders-udp', port: 5433 }] }],
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Give the TLS passthrough listener of route db (the shared-listener TLS example) another host name and port: the listener, the TLSRoute and the TargetGroupConfiguration are written again',
    example: yaml.stringify({
      steps: [
        {
          id: 'change',
          action: 'aws-gateway:endpoint:change-shared-listener',
          name: 'Change host name and port',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            routeName: 'db',
            entityRef: 'component:default/orders',
            change: {
              listeners: [
                { port: 20444, hostname: 'db-v2.team-a.apps.example.com' },
              ],
            },
          },
        },
      ],
    }),
  },
];
