/**
 * The memory of one request's reads: each distinct read (by key) is started
 * at most once and its promise shared by every caller. Never shared between
 * requests.
 */
export class RequestMemo {
  private readonly memo = new Map<string, Promise<unknown>>();

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      // Reads are often started ahead of use; a failure is reported where it
      // is awaited, never as an unhandled rejection.
      p.catch(() => undefined);
      this.memo.set(key, p);
    }
    return p;
  }
}
