import {
  GatewayWarning,
  RouteSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { listener } from '../../testing/fixtures';
import { describeBackends, routeState } from './routeState';

const accepted = listener().routes[0];

function route(overrides: Partial<RouteSummary>): RouteSummary {
  return { ...accepted, ...overrides };
}

const shadowedWarning: GatewayWarning = {
  code: 'route-shadowed',
  message: 'TCPRoute payments/payments gets no traffic',
  fix: 'Give it a port of its own',
  route: { kind: 'TCPRoute', namespace: 'payments', name: 'payments' },
};

describe('routeState', () => {
  it('an accepted route with resolved backends is neither refused nor shadowed', () => {
    expect(routeState(accepted, [])).toEqual({
      refused: false,
      shadowed: false,
    });
  });

  it('Accepted=False is the refusal shown, before ResolvedRefs', () => {
    const notAccepted = {
      type: 'Accepted',
      status: 'False',
      reason: 'NotAllowedByListeners',
    } as const;
    const unresolved = {
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'BackendNotFound',
    } as const;
    expect(
      routeState(
        route({ accepted: notAccepted, resolvedRefs: unresolved }),
        [],
      ),
    ).toEqual({ refused: true, refusal: notAccepted, shadowed: false });
    expect(routeState(route({ resolvedRefs: unresolved }), [])).toEqual({
      refused: true,
      refusal: unresolved,
      shadowed: false,
    });
  });

  it('is shadowed only by a route-shadowed warning naming this very route', () => {
    expect(routeState(accepted, [shadowedWarning]).shadowed).toBe(true);
    const others: GatewayWarning['route'][] = [
      { kind: 'UDPRoute', namespace: 'payments', name: 'payments' },
      { kind: 'TCPRoute', namespace: 'other', name: 'payments' },
      { kind: 'TCPRoute', namespace: 'payments', name: 'other' },
      undefined,
    ];
    for (const other of others) {
      expect(
        routeState(accepted, [{ ...shadowedWarning, route: other }]).shadowed,
      ).toBe(false);
    }
    expect(
      routeState(accepted, [{ ...shadowedWarning, code: 'route-not-accepted' }])
        .shadowed,
    ).toBe(false);
  });

  it('a refused route is not also shadowed', () => {
    const refused = route({
      accepted: { type: 'Accepted', status: 'False', reason: 'NotAllowed' },
    });
    expect(routeState(refused, [shadowedWarning]).shadowed).toBe(false);
  });
});

describe('describeBackends', () => {
  it('names each backend with its port when it has one', () => {
    expect(
      describeBackends(
        route({
          backends: [
            { kind: 'Service', namespace: 'payments', name: 'a', port: 8080 },
            { kind: 'Service', namespace: 'payments', name: 'b' },
          ],
        }),
      ),
    ).toBe('a:8080, b');
  });
});
