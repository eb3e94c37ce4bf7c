import { EventApi } from './eventSelectors';

const API_TTL_MS = 10 * 60_000;
/** Missing RBAC is fixed by an administrator at any time: ask again soon. */
const NOT_READABLE_TTL_MS = 60_000;

/**
 * Which events API each cluster answers: `events.k8s.io/v1`, core `v1` (the
 * preferred one not served, or not allowed by RBAC), or neither (`null`:
 * events are not readable). A property of clusters, shared by requests.
 */
export class EventApiCache {
  private readonly entries = new Map<
    string,
    { api: EventApi | null; expires: number }
  >();

  constructor(
    private readonly ttls = {
      apiMs: API_TTL_MS,
      notReadableMs: NOT_READABLE_TTL_MS,
    },
  ) {}

  get(cluster: string): EventApi | null | undefined {
    const entry = this.entries.get(cluster);
    if (!entry || entry.expires < Date.now()) return undefined;
    return entry.api;
  }

  set(cluster: string, api: EventApi | null): void {
    const ttl = api ? this.ttls.apiMs : this.ttls.notReadableMs;
    this.entries.set(cluster, { api, expires: Date.now() + ttl });
  }

  forget(cluster: string): void {
    this.entries.delete(cluster);
  }
}
