import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'The classic public TCP endpoint: Gateway aws-tcp-gateway with listener tcp-app on TCP 8080, route tcp-backend-aws to Service backend port 3000, internet-facing, ip targets, open only to one CIDR',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'aws-gateway:endpoint:render',
          name: 'Render gateway manifests',
          input: {
            name: 'aws-tcp-gateway',
            namespace: 'default',
            listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 8080 }],
            routes: [
              {
                name: 'tcp-backend-aws',
                listener: 'tcp-app',
                backends: [{ service: 'backend', port: 3000 }],
              },
            ],
            scheme: 'internet-facing',
            sourceCidrs: ['203.0.113.0/24'],
            targetType: 'ip',
            controllerProfile: 'lbc-v3.5',
            kubernetesId: 'backend',
            entityRef: 'component:default/backend',
          },
        },
      ],
    }),
  },
  {
    description:
      'An internal UDP endpoint for an older controller (LBC v2.17 with Gateway API v1.3: v1alpha2 routes), with an HTTP health check and two weighted backends',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'aws-gateway:endpoint:render',
          name: 'Render gateway manifests',
          input: {
            name: 'dns-gateway',
            namespace: 'dns',
            listeners: [{ name: 'dns', protocol: 'UDP', port: 53 }],
            routes: [
              {
                name: 'dns',
                listener: 'dns',
                backends: [
                  { service: 'coredns-blue', port: 53, weight: 90 },
                  { service: 'coredns-green', port: 53, weight: 10 },
                ],
              },
            ],
            scheme: 'internal',
            healthCheck: { protocol: 'HTTP', port: '8080', path: '/health' },
            tags: { team: 'platform' },
            controllerProfile: 'lbc-v2.17',
            outputDir: 'gitops/dns',
          },
        },
      ],
    }),
  },
  {
    description:
      'Several listeners in one run, each with its backends: TCP 8080 split 80/20 between two Services (a canary), and DNS on port 53 over TCP and UDP, which the load balancer serves as one TCP_UDP listener (both listeners name the same backends)',
    example: yaml.stringify({
      steps: [
        {
          id: 'render',
          action: 'aws-gateway:endpoint:render',
          name: 'Render gateway manifests',
          input: {
            name: 'edge',
            namespace: 'default',
            listeners: [
              {
                name: 'app',
                protocol: 'TCP',
                port: 8080,
                routeName: 'edge-app',
                backends: [
                  { service: 'backend', port: 3000, weight: 80 },
                  { service: 'backend-canary', port: 3000, weight: 20 },
                ],
              },
              {
                name: 'dns-tcp',
                protocol: 'TCP',
                port: 53,
                backends: [{ service: 'coredns', port: 53 }],
              },
              {
                name: 'dns-udp',
                protocol: 'UDP',
                port: 53,
                backends: [{ service: 'coredns', port: 53 }],
              },
            ],
            scheme: 'internal',
            targetType: 'ip',
            controllerProfile: 'lbc-v3.5',
            kubernetesId: 'backend',
          },
        },
      ],
    }),
  },
];
