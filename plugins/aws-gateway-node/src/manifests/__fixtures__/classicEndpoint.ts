import { EndpointSpec } from '@gateway-portal/plugin-aws-gateway-common';

/** The classic example: public TCP 8080 → Service backend:3000, ip targets. @public */
export const classicEndpoint: EndpointSpec = {
  name: 'aws-tcp-gateway',
  namespace: 'default',
  gatewayClassName: 'aws-nlb',
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
  kubernetesId: 'backend',
  entityRef: 'component:default/backend',
};
