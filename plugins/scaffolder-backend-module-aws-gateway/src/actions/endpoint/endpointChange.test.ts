import { ORDERS } from '../support/__testUtils__/sharedGatewayRepository';
import {
  applyEndpointChange,
  applySharedListenerChange,
} from './endpointChange';

const TLS_ORDERS = {
  ...ORDERS,
  protocol: 'TLS' as const,
  hostname: 'orders.apps.example.com',
};

describe('applySharedListenerChange: a TLS listener', () => {
  it('changes the host name, saying so', () => {
    const { next, changes } = applySharedListenerChange(TLS_ORDERS, {
      listeners: [{ hostname: 'orders.team-a.apps.example.com' }],
    });
    expect(next.hostname).toBe('orders.team-a.apps.example.com');
    expect(changes).toEqual([
      'listener team-a-orders: host name orders.apps.example.com → orders.team-a.apps.example.com',
    ]);
  });

  it('becomes TLS with a host name, and drops the host name when it leaves TLS', () => {
    const toTls = applySharedListenerChange(ORDERS, {
      listeners: [{ protocol: 'TLS', hostname: 'orders.apps.example.com' }],
    });
    expect(toTls.next).toMatchObject(TLS_ORDERS);
    const toTcp = applySharedListenerChange(TLS_ORDERS, {
      listeners: [{ protocol: 'TCP' }],
    });
    expect(toTcp.next.protocol).toBe('TCP');
    expect(toTcp.next).not.toHaveProperty('hostname');
    expect(toTcp.changes).toEqual([
      'listener team-a-orders: protocol TLS → TCP',
    ]);
  });
});

describe('applySharedListenerChange: the fields a refusal names', () => {
  it("names the change's fields, each where it was given (the form's, not the shared-listener action's)", () => {
    const { fields } = applySharedListenerChange(TLS_ORDERS, {
      listeners: [
        { port: 20002 },
        { name: 'team-a-orders', hostname: 'db.apps.example.com' },
      ],
      routes: [{ backends: [{ service: 'orders-v2', port: 8080 }] }],
    });
    expect(fields).toEqual({
      listenerName: 'change.listeners[1].name',
      listenerPort: 'change.listeners[0].port',
      protocol: 'change.listeners[1].protocol',
      hostname: 'change.listeners[1].hostname',
      'backend.service': 'change.routes[0].backends[0].service',
      'backend.port': 'change.routes[0].backends[0].port',
    });
  });

  it('names the first entry when the change gives no listener or route', () => {
    expect(applySharedListenerChange(ORDERS, {}).fields).toMatchObject({
      hostname: 'change.listeners[0].hostname',
      'backend.service': 'change.routes[0].backends[0].service',
    });
  });
});

describe('applyEndpointChange: a Gateway of its own', () => {
  it('keeps a TLS listener host name, naming the field and the rule', () => {
    expect(() =>
      applyEndpointChange(
        {
          name: 'db',
          namespace: 'team-a',
          gatewayClassName: 'aws-nlb',
          scheme: 'internal',
          sourceCidrs: [],
          targetType: 'ip',
          listeners: [
            {
              name: 'tls',
              protocol: 'TLS',
              port: 443,
              hostname: 'db.example.com',
            },
          ],
          routes: [
            {
              name: 'db',
              listener: 'tls',
              backends: [{ service: 'db', port: 5432 }],
            },
          ],
        },
        { listeners: [{ hostname: 'other.example.com' }] },
      ),
    ).toThrow(
      /change\.listeners\[0\]\.hostname: listener tls of a Gateway of its own keeps its host name.*\[listener-hostname-fixed\]/,
    );
  });
});
