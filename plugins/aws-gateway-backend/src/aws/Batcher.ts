/**
 * Collects keys asked for in the same turn of the event loop and loads them
 * in batches of at most `maxBatch`, per group (an account + region). Used for
 * the ELBv2 calls that accept up to 20 ARNs at once.
 */
export class Batcher<V> {
  private readonly pending = new Map<
    string,
    Map<
      string,
      Array<{
        resolve: (v: V | undefined) => void;
        reject: (e: unknown) => void;
      }>
    >
  >();
  private scheduled = false;

  constructor(
    private readonly loadBatch: (
      group: string,
      keys: string[],
    ) => Promise<Map<string, V>>,
    private readonly maxBatch = 20,
  ) {}

  load(group: string, key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      let keys = this.pending.get(group);
      if (!keys) {
        keys = new Map();
        this.pending.set(group, keys);
      }
      const waiters = keys.get(key) ?? [];
      waiters.push({ resolve, reject });
      keys.set(key, waiters);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.pending.entries()];
    this.pending.clear();
    for (const [group, keys] of groups) {
      const all = [...keys.keys()];
      for (let i = 0; i < all.length; i += this.maxBatch) {
        const batch = all.slice(i, i + this.maxBatch);
        this.loadBatch(group, batch).then(
          results => {
            for (const k of batch) {
              for (const w of keys.get(k)!) w.resolve(results.get(k));
            }
          },
          error => {
            for (const k of batch) {
              for (const w of keys.get(k)!) w.reject(error);
            }
          },
        );
      }
    }
  }
}
