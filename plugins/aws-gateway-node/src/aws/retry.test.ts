import { retryWithBackoff } from './retry';

describe('retryWithBackoff', () => {
  const transient = new Error('transient');
  const fatal = new Error('fatal');

  function flaky(failures: Error[]) {
    const fn = jest.fn(async (attempt: number) => {
      const e = failures[attempt - 1];
      if (e) throw e;
      return `ok after ${attempt}`;
    });
    return fn;
  }

  it('doubles the delay up to the maximum and returns the first success', async () => {
    const sleeps: number[] = [];
    const result = await retryWithBackoff(
      flaky([transient, transient, transient, transient]),
      {
        maxAttempts: 6,
        baseDelayMs: 100,
        maxDelayMs: 500,
        retryable: e => e === transient,
        sleep: async ms => void sleeps.push(ms),
      },
    );
    expect(result).toBe('ok after 5');
    expect(sleeps).toEqual([100, 200, 400, 500]);
  });

  it('rethrows a non-retryable error at once', async () => {
    const fn = flaky([fatal]);
    const sleep = jest.fn(async () => {});
    await expect(
      retryWithBackoff(fn, {
        maxAttempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryable: e => e === transient,
        sleep,
      }),
    ).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('stops after maxAttempts with the last error', async () => {
    const fn = flaky(Array(10).fill(transient));
    await expect(
      retryWithBackoff(fn, {
        maxAttempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryable: () => true,
        sleep: async () => {},
      }),
    ).rejects.toBe(transient);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('stops waiting once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fn = flaky([transient, transient]);
    await expect(
      retryWithBackoff(fn, {
        maxAttempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryable: () => true,
        sleep: async () => {},
        signal: controller.signal,
      }),
    ).rejects.toBe(transient);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
