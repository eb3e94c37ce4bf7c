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
    const retries: Array<{ attempt: number; attemptsLeft: number }> = [];
    const started = performance.now();
    const result = await retryWithBackoff(
      flaky([transient, transient, transient, transient]),
      {
        maxAttempts: 6,
        baseDelayMs: 40,
        maxDelayMs: 80,
        retryable: e => e === transient,
        onRetry: ({ attempt, attemptsLeft }) =>
          retries.push({ attempt, attemptsLeft }),
      },
    );
    const waited = performance.now() - started;
    expect(result).toBe('ok after 5');
    expect(retries).toEqual([
      { attempt: 1, attemptsLeft: 5 },
      { attempt: 2, attemptsLeft: 4 },
      { attempt: 3, attemptsLeft: 3 },
      { attempt: 4, attemptsLeft: 2 },
    ]);
    // 40 + 80 + 80 + 80: doubled once, then capped (not 40 + 80 + 160 + 320).
    expect(waited).toBeGreaterThanOrEqual(270);
    expect(waited).toBeLessThan(600);
  });

  it('rethrows a non-retryable error at once', async () => {
    const fn = flaky([fatal]);
    const onRetry = jest.fn();
    await expect(
      retryWithBackoff(fn, {
        maxAttempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryable: e => e === transient,
        onRetry,
      }),
    ).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('stops after maxAttempts with the last error', async () => {
    const fn = flaky(Array(10).fill(transient));
    const onRetry = jest.fn();
    await expect(
      retryWithBackoff(fn, {
        maxAttempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryable: () => true,
        onRetry,
      }),
    ).rejects.toBe(transient);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('makes no attempt once aborted, and stops a wait when aborted during it', async () => {
    const aborted = new AbortController();
    aborted.abort(new Error('cancelled'));
    const fn = flaky([transient, transient]);
    await expect(
      retryWithBackoff(fn, {
        maxAttempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryable: () => true,
        signal: aborted.signal,
      }),
    ).rejects.toThrow('cancelled');
    expect(fn).not.toHaveBeenCalled();

    const cancel = new AbortController();
    const slow = flaky([transient, transient]);
    const started = performance.now();
    setTimeout(() => cancel.abort(new Error('cancelled while waiting')), 50);
    await expect(
      retryWithBackoff(slow, {
        maxAttempts: 5,
        baseDelayMs: 10_000,
        maxDelayMs: 10_000,
        retryable: () => true,
        signal: cancel.signal,
      }),
    ).rejects.toThrow('cancelled while waiting');
    expect(slow).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
