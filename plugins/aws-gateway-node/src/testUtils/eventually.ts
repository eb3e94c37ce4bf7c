/** Between two checks: short against the states awaited, long enough not to busy the worker. */
const POLL_EVERY_MS = 10;

/**
 * Waits for a state the code under test must reach (a socket closed, a
 * count reached): runs `check`, an assertion, until it passes, and throws its
 * last failure once `withinMs` has passed. A fixed sleep before the assertion
 * fails on a machine that stalls for longer than the sleep; this waits only as
 * long as the state takes. Absence (nothing more happens) still needs a fixed
 * wait: a poll would pass at once.
 *
 * @public
 */
export async function eventually(
  check: () => void | Promise<void>,
  withinMs = 3_000,
): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() >= until) throw e;
      await new Promise(r => setTimeout(r, POLL_EVERY_MS));
    }
  }
}
