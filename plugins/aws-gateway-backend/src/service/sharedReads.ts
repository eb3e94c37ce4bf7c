/**
 * One read per entity at a time, shared by every caller of this process.
 */
import { Entity } from '@backstage/catalog-model';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { TIMED_OUT, within } from '../deadline';

/** What computes an answer; the collector in production. */
export interface EntityGatewaysSource {
  collect(
    entity: Entity,
    entityRef: string,
    options?: { signal?: AbortSignal },
  ): Promise<EntityGatewaysResponse>;
}

export interface SharedReadsOptions {
  source: EntityGatewaysSource;
  /** The hard limit of one read; it is cancelled after. */
  limitMs: number;
  now: () => number;
  /** Called with each completed read (it goes to the cache). */
  onRead(key: string, response: EntityGatewaysResponse): void;
}

/**
 * Coalesces concurrent reads of one entity. A read outlives its callers'
 * deadlines (so the next caller finds it done) but not the hard limit, after
 * which it is cancelled.
 */
export class SharedReads {
  private readonly inFlight = new Map<
    string,
    Promise<EntityGatewaysResponse>
  >();

  constructor(private readonly options: SharedReadsOptions) {}

  read(
    key: string,
    entity: Entity,
    entityRef: string,
  ): Promise<EntityGatewaysResponse> {
    let pending = this.inFlight.get(key);
    if (pending) return pending;
    const { source, limitMs, now, onRead } = this.options;
    const controller = new AbortController();
    const collected = source
      .collect(entity, entityRef, { signal: controller.signal })
      .then(response => {
        // fetchedAt is when the data was read: the end of the read.
        const read = {
          ...response,
          fetchedAt: new Date(now()).toISOString(),
        };
        onRead(key, read);
        return read;
      });
    pending = within(collected, limitMs)
      .then(result => {
        if (result !== TIMED_OUT) return result;
        controller.abort();
        throw new Error(
          `reading took longer than ${limitMs} ms and was cancelled`,
        );
      })
      .finally(() => this.inFlight.delete(key));
    pending.catch(() => undefined);
    this.inFlight.set(key, pending);
    return pending;
  }
}
