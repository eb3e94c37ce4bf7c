import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Expose Service orders:5432 of team-a on TCP port 20001 of the platform's shared NLB, through a pull request to the platform's GitOps repository",
    example: yaml.stringify({
      steps: [
        {
          id: 'shared-listener',
          action: 'aws-gateway:endpoint:shared-listener',
          name: 'Add a listener on the shared Gateway',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            listenerName: 'team-a-orders',
            listenerPort: 20001,
            protocol: 'TCP',
            routeName: 'orders',
            serviceName: 'orders',
            servicePort: 5432,
            entityRef: 'component:default/orders',
          },
        },
      ],
    }),
  },
  {
    description:
      'A UDP listener whose backend Service lives in another namespace (a ReferenceGrant is added there)',
    example: yaml.stringify({
      steps: [
        {
          id: 'shared-listener',
          action: 'aws-gateway:endpoint:shared-listener',
          name: 'Add a UDP listener on the shared Gateway',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            listenerName: 'team-a-dns',
            listenerPort: 20053,
            protocol: 'UDP',
            routeName: 'dns',
            serviceName: 'coredns',
            servicePort: 53,
            serviceNamespace: 'team-a-dns',
          },
        },
      ],
    }),
  },
  {
    description:
      'A TLS listener: the TLS bytes are passed through to the Service, which terminates TLS itself, on a host name the platform allows (a TLSRoute, and a TargetGroupConfiguration giving the Service TCP target groups)',
    example: yaml.stringify({
      steps: [
        {
          id: 'shared-listener',
          action: 'aws-gateway:endpoint:shared-listener',
          name: 'Add a TLS passthrough listener on the shared Gateway',
          input: {
            sharedGateway: 'prod/platform-gateways/shared-nlb',
            namespace: 'team-a',
            listenerName: 'team-a-db',
            listenerPort: 20443,
            protocol: 'TLS',
            hostname: 'db.team-a.apps.example.com',
            routeName: 'db',
            serviceName: 'postgres',
            servicePort: 5432,
            entityRef: 'component:default/orders',
          },
        },
      ],
    }),
  },
];
