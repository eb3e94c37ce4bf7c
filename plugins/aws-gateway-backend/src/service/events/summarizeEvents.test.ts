import { EventsRead } from '../../kubernetes/events/ClusterEventReader';
import { ObservedEvent } from '../../kubernetes/events/observedEvent';
import { MAX_EVENTS_PER_GATEWAY, summarizeEvents } from './summarizeEvents';

const GATEWAY = { kind: 'Gateway', namespace: 'shop', name: 'web' };
const ROUTE = { kind: 'TCPRoute', namespace: 'shop', name: 'web' };

function event(over: Partial<ObservedEvent>): ObservedEvent {
  return {
    subject: GATEWAY,
    type: 'Normal',
    reason: 'SuccessfullyReconciled',
    message: 'Successfully reconciled',
    count: 1,
    lastSeen: '2026-11-26T20:00:00.000Z',
    ...over,
  };
}

function read(events: ObservedEvent[], cappedSubjects = 0): EventsRead {
  return { availability: 'read', api: 'v1', events, cappedSubjects };
}

const INSTANCE_MESSAGE =
  "Failed build model due to TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'";

describe('summarizeEvents', () => {
  it('merges the same event on the same object into one row with the total count and the widest time span', () => {
    const summary = summarizeEvents(
      read([
        event({
          type: 'Warning',
          reason: 'FailedBuildModel',
          message: INSTANCE_MESSAGE,
          count: 3,
          firstSeen: '2026-11-26T19:00:00.000Z',
          lastSeen: '2026-11-26T20:00:00.000Z',
        }),
        event({
          type: 'Warning',
          reason: 'FailedBuildModel',
          message: INSTANCE_MESSAGE,
          count: 2,
          firstSeen: '2026-11-26T18:00:00.000Z',
          lastSeen: '2026-11-26T21:00:00.000Z',
        }),
        event({
          subject: ROUTE,
          type: 'Warning',
          reason: 'FailedBuildModel',
          message: INSTANCE_MESSAGE,
        }),
      ]),
      { somethingWrong: true },
    );

    expect(summary.items).toHaveLength(2);
    expect(summary.items[0]).toEqual({
      type: 'Warning',
      reason: 'FailedBuildModel',
      message: INSTANCE_MESSAGE,
      object: GATEWAY,
      count: 5,
      firstSeen: '2026-11-26T18:00:00.000Z',
      lastSeen: '2026-11-26T21:00:00.000Z',
      fix: expect.stringContaining('targetType: ip'),
    });
  });

  it('puts warnings first when something is wrong, newest first within each type', () => {
    const events = [
      event({
        reason: 'SuccessfullyReconciled',
        lastSeen: '2026-11-26T22:00:00Z',
      }),
      event({
        type: 'Warning',
        reason: 'Old',
        lastSeen: '2026-11-26T19:00:00Z',
      }),
      event({
        type: 'Warning',
        reason: 'New',
        lastSeen: '2026-11-26T21:00:00Z',
      }),
    ];

    const wrong = summarizeEvents(read(events), { somethingWrong: true });
    const healthy = summarizeEvents(read(events), { somethingWrong: false });

    expect(wrong.items.map(i => i.reason)).toEqual([
      'New',
      'Old',
      'SuccessfullyReconciled',
    ]);
    expect(healthy.items.map(i => i.reason)).toEqual([
      'SuccessfullyReconciled',
      'New',
      'Old',
    ]);
  });

  it('cleans what an attacker wrote: no control characters, no bidi overrides, no addresses or tokens, capped', () => {
    const summary = summarizeEvents(
      read([
        event({
          type: 'Warning',
          reason: `Evil\u0000Reason${'R'.repeat(300)}`,
          message: `<img src=x onerror=alert(1)>\u202e\nfailed calling https://10.0.0.12:8443/hook with Bearer abc.def ${'x'.repeat(
            5000,
          )}`,
          reportingController: 'me\u0007',
        }),
      ]),
      { somethingWrong: true },
    );

    const [row] = summary.items;
    expect(row.reason.length).toBeLessThanOrEqual(129);
    expect(row.reason).not.toContain('\u0000');
    // Kept as text (the card never renders it as HTML), one line, capped.
    expect(
      row.message.startsWith(
        '<img src=x onerror=alert(1)> failed calling [url]',
      ),
    ).toBe(true);
    expect(row.message).not.toMatch(/[\u202e\n]|10\.0\.0\.12|abc\.def/);
    expect(row.message.length).toBeLessThanOrEqual(401);
    expect(row.reportingController).toBe('me');
  });

  it("names a cluster-scoped object (a GatewayClass) without a namespace, with its warning's fix", () => {
    const summary = summarizeEvents(
      read([
        event({
          subject: { kind: 'GatewayClass', name: 'nlb' },
          type: 'Warning',
          reason: 'NotFound',
          message: 'LoadBalancerConfiguration (defaults,platform) not found',
        }),
      ]),
      { somethingWrong: true },
    );
    expect(summary.items[0].object).toStrictEqual({
      kind: 'GatewayClass',
      name: 'nlb',
    });
    expect(summary.items[0].fix).toContain('parametersRef');
  });

  it('treats any type but Warning as Normal, and gives Normal events no fix', () => {
    const summary = summarizeEvents(
      read([event({ type: 'Critical', message: INSTANCE_MESSAGE })]),
      { somethingWrong: false },
    );

    expect(summary.items[0].type).toBe('Normal');
    expect(summary.items[0].fix).toBeUndefined();
  });

  it('keeps at most MAX_EVENTS_PER_GATEWAY rows and says how many more there were', () => {
    const events = Array.from({ length: MAX_EVENTS_PER_GATEWAY + 5 }, (_, i) =>
      event({ reason: `R${i}` }),
    );

    const summary = summarizeEvents(read(events, 2), { somethingWrong: false });

    expect(summary.items).toHaveLength(MAX_EVENTS_PER_GATEWAY);
    expect(summary.omitted).toBe(7);
  });

  it.each(['not-readable', 'failed'] as const)(
    'passes %s on with no rows',
    availability => {
      expect(
        summarizeEvents(
          { availability, events: [], cappedSubjects: 0 },
          { somethingWrong: true },
        ),
      ).toEqual({ availability, items: [] });
    },
  );
});
