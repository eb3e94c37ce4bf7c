import { observedEventOf } from './observedEvent';

const subject = { kind: 'Gateway', namespace: 'shop', name: 'web' };

describe('observedEventOf', () => {
  it("reads a core event's times as client-go's typed list gives them (Date) and as a watch gives them (text)", () => {
    const listed = observedEventOf('v1', subject, {
      metadata: { name: 'e', namespace: 'shop' },
      firstTimestamp: new Date('2026-11-26T20:00:00Z'),
      lastTimestamp: new Date('2026-11-26T21:00:00Z'),
    });
    const watched = observedEventOf('v1', subject, {
      metadata: { name: 'e', namespace: 'shop' },
      firstTimestamp: '2026-11-26T20:00:00Z',
      lastTimestamp: '2026-11-26T21:00:00Z',
    });
    expect(listed).toEqual(watched);
    expect(listed).toMatchObject({
      firstSeen: '2026-11-26T20:00:00.000Z',
      lastSeen: '2026-11-26T21:00:00.000Z',
    });
  });

  it('leaves out a time that is no time', () => {
    const read = observedEventOf('v1', subject, {
      firstTimestamp: new Date('not a time'),
      lastTimestamp: 'yesterday',
    });
    expect(read.firstSeen).toBeUndefined();
    expect(read.lastSeen).toBeUndefined();
  });
});
