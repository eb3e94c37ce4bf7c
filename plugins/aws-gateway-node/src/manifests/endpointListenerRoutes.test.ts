import { ConfigReader } from '@backstage/config';
import { endpointListenerRoutes } from './endpointListenerRoutes';
import { readGatewayGuardrails } from './guardrails';
import { validateEndpointSpec } from './validateEndpoint';
import { classicEndpoint } from './__fixtures__/classicEndpoint';

describe('endpointListenerRoutes', () => {
  it('keeps a request in the listeners-and-routes form as it is', () => {
    const { listeners, routes, issues } = endpointListenerRoutes(
      classicEndpoint.name,
      classicEndpoint.listeners,
      classicEndpoint.routes,
    );
    expect(listeners).toEqual(classicEndpoint.listeners);
    expect(routes).toEqual(classicEndpoint.routes);
    expect(issues).toEqual([]);
  });

  it('makes a route of each listener that carries its backends, after the named routes', () => {
    const { listeners, routes, issues } = endpointListenerRoutes(
      'edge',
      [
        { name: 'app', protocol: 'TCP', port: 8080 },
        {
          name: 'dns',
          protocol: 'UDP',
          port: 53,
          backends: [
            { service: 'blue', port: 53, weight: 90 },
            { service: 'green', port: 53, weight: 10 },
          ],
        },
        {
          name: 'db',
          protocol: 'TLS',
          port: 8443,
          hostname: 'db.example.com',
          routeName: 'db-passthrough',
          backends: [{ service: 'db', port: 5432 }],
        },
      ],
      [
        {
          name: 'app',
          listener: 'app',
          backends: [{ service: 'app', port: 3000 }],
        },
      ],
    );
    expect(issues).toEqual([]);
    expect(listeners).toEqual([
      { name: 'app', protocol: 'TCP', port: 8080 },
      { name: 'dns', protocol: 'UDP', port: 53 },
      {
        name: 'db',
        protocol: 'TLS',
        port: 8443,
        hostname: 'db.example.com',
      },
    ]);
    expect(routes).toEqual([
      {
        name: 'app',
        listener: 'app',
        backends: [{ service: 'app', port: 3000 }],
      },
      {
        name: 'edge-dns',
        listener: 'dns',
        backends: [
          { service: 'blue', port: 53, weight: 90 },
          { service: 'green', port: 53, weight: 10 },
        ],
      },
      {
        name: 'db-passthrough',
        listener: 'db',
        backends: [{ service: 'db', port: 5432 }],
      },
    ]);
  });

  it('refuses backends in two places and a route name without backends', () => {
    const { issues } = endpointListenerRoutes(
      'edge',
      [
        {
          name: 'app',
          protocol: 'TCP',
          port: 8080,
          backends: [{ service: 'app', port: 3000 }],
        },
        { name: 'dns', protocol: 'UDP', port: 53, routeName: 'dns' },
      ],
      [
        {
          name: 'app',
          listener: 'app',
          backends: [{ service: 'app', port: 3000 }],
        },
      ],
    );
    expect(issues.map(i => `${i.field} ${i.rule}`)).toEqual([
      'listeners[0].backends listener-backends-and-route',
      'listeners[1].routeName listener-route-name-without-backends',
    ]);
  });

  it("names a listener's own backends by their input fields in the validator's issues", () => {
    const parts = endpointListenerRoutes(
      classicEndpoint.name,
      [
        { name: 'app', protocol: 'TCP', port: 8080 },
        {
          name: 'dns',
          protocol: 'UDP',
          port: 8053,
          routeName: 'Not_A_Name',
          backends: [
            { service: 'blue', port: 53, weight: 1000 },
            { service: 'blue', port: 53 },
          ],
        },
      ],
      classicEndpoint.routes.map(r => ({ ...r, listener: 'app' })),
    );
    const guardrails = readGatewayGuardrails(new ConfigReader({}));
    const issues = parts.inInputFields(
      validateEndpointSpec(
        {
          ...classicEndpoint,
          listeners: parts.listeners,
          routes: parts.routes,
        },
        { guardrails },
      ),
    );
    expect(issues.map(i => `${i.field} ${i.rule}`)).toEqual([
      'listeners[1].routeName dns-subdomain',
      'listeners[1].backends[0].weight backend-weight',
      'listeners[1].backends[1] backend-unique',
    ]);
    expect(issues[2].message).toBe(
      'listeners[1].backends[1]: Service blue port 53 is already listeners[1].backends[0]; name each Service port once and give it the sum of the weights',
    );
  });
});
