import { EndpointSpec } from '@gateway-portal/plugin-aws-gateway-common';
import { classicEndpoint } from './classicEndpoint';

/**
 * Several listeners in one endpoint: TCP 8080 split 3:1 between two Services
 * (a third at weight 0), DNS on 53 over TCP and UDP with the same backend
 * (one TCP_UDP listener), and a TLS passthrough listener.
 */
export const multiListenerEndpoint: EndpointSpec = {
  ...classicEndpoint,
  listeners: [
    { name: 'app', protocol: 'TCP', port: 8080 },
    { name: 'dns-tcp', protocol: 'TCP', port: 1053 },
    { name: 'dns-udp', protocol: 'UDP', port: 1053 },
    { name: 'db', protocol: 'TLS', port: 8443, hostname: 'db.example.com' },
  ],
  routes: [
    {
      name: 'app',
      listener: 'app',
      backends: [
        { service: 'blue', port: 3000, weight: 3 },
        { service: 'green', port: 3000 },
        { service: 'old', port: 3000, weight: 0 },
      ],
    },
    {
      name: 'dns-tcp',
      listener: 'dns-tcp',
      backends: [{ service: 'dns', port: 53 }],
    },
    {
      name: 'dns-udp',
      listener: 'dns-udp',
      backends: [{ service: 'dns', port: 53 }],
    },
    {
      name: 'db',
      listener: 'db',
      backends: [{ service: 'db', port: 5432, weight: 999 }],
    },
  ],
};
