/**
 * The memory of one request's reads, on DataLoader: each distinct read (by
 * cache key) is started at most once and its promise shared by every caller,
 * and reads that take several keys at once are batched. A loader lives as
 * long as the reader that made it, which serves one request (one user's
 * credentials, one answer): nothing is shared between requests.
 */
import DataLoader from 'dataloader';

/**
 * DataLoader caches a failure only when the batch function returns it as an
 * Error value (a rejected batch is forgotten and retried by the next caller):
 * within one request a failed read stays failed, as every caller sees the
 * same answer and a broken endpoint is not asked again.
 */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** One read per key, no batching: the request's memo of a single-key call. */
export function memoLoader<K, V>(
  load: (key: K) => Promise<V>,
  cacheKey: (key: K) => string,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    keys => Promise.all(keys.map(key => load(key).catch(asError))),
    { batch: false, cacheKeyFn: cacheKey },
  );
}

/**
 * Keys asked for until the event loop next polls for I/O (a whole round of
 * the request's reads, across its Gateways, not just one tick) are sent
 * together, at most `maxBatchSize` per call; a key the answer does not
 * mention resolves to undefined. Every key of one loader must go to the same
 * place (one loader per AWS account and region).
 */
export function batchLoader<K, V>(
  loadBatch: (keys: readonly K[]) => Promise<ReadonlyMap<string, V>>,
  cacheKey: (key: K) => string,
  maxBatchSize: number,
): DataLoader<K, V | undefined, string> {
  return new DataLoader<K, V | undefined, string>(
    async keys => {
      try {
        const found = await loadBatch(keys);
        return keys.map(key => found.get(cacheKey(key)));
      } catch (e) {
        const failed = asError(e);
        return keys.map(() => failed);
      }
    },
    {
      cacheKeyFn: cacheKey,
      maxBatchSize,
      batchScheduleFn: dispatch => setImmediate(dispatch),
    },
  );
}

/**
 * Reads of different kinds under one memo (the Kubernetes reads of a
 * cluster): `once(key, load)` starts `load` for the first caller of a key
 * and hands its promise to every later one.
 */
export class RequestMemo {
  private readonly loads = new Map<string, () => Promise<unknown>>();
  private readonly loader = memoLoader<string, unknown>(
    key => this.loads.get(key)!(),
    key => key,
  );

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.loads.has(key)) this.loads.set(key, load);
    const p = this.loader.load(key) as Promise<T>;
    // Reads are often started ahead of use; a failure is reported where it
    // is awaited, never as an unhandled rejection.
    p.catch(() => undefined);
    return p;
  }
}
