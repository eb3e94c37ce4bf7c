import { ConcurrencyLimit } from './concurrencyLimit';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ConcurrencyLimit', () => {
  it('runs at most `max` tasks at once, the others in order', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await new Promise(r => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(limit.load).toEqual({ active: 2, waiting: 1 });
    gates[0].resolve();
    await runs[0];
    await new Promise(r => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[1].resolve();
    gates[2].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('lets a waiter whose signal fires leave the queue without running', async () => {
    const limit = new ConcurrencyLimit(1);
    const gate = deferred();
    const first = limit.run(() => gate.promise);
    const controller = new AbortController();
    const task = jest.fn(async () => undefined);
    const second = limit.run(task, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
    expect(limit.load).toEqual({ active: 1, waiting: 0 });
    gate.resolve();
    await first;
    expect(task).not.toHaveBeenCalled();
    expect(limit.load.active).toBe(0);
  });
});
