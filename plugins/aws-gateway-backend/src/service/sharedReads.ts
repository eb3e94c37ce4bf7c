/**
 * One read per entity at a time, shared by every caller of this process.
 */
import { Entity } from '@backstage/catalog-model';
import DataLoader from 'dataloader';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { UserKubernetesCredentials } from '@gateway-portal/plugin-aws-gateway-node';
import { AnswerDue, TIMED_OUT, within } from '../deadline';

/** What computes an answer; the collector in production. */
export interface EntityGatewaysSource {
  collect(
    entity: Entity,
    entityRef: string,
    options?: {
      signal?: AbortSignal;
      kubernetesCredentials?: UserKubernetesCredentials;
      /** The user asked for a refresh (see the collector's CollectOptions). */
      refresh?: boolean;
      /** When the first caller's answer is due (see the collector's CollectOptions). */
      answerDue?: AnswerDue;
    },
  ): Promise<EntityGatewaysResponse>;
}

export interface SharedReadsOptions {
  source: EntityGatewaysSource;
  /** The hard limit of one read; it is cancelled after. */
  limitMs: number;
  now: () => number;
  /** Called with each completed read (it goes to the cache) and the entity read. */
  onRead(key: string, response: EntityGatewaysResponse, entity: Entity): void;
}

/** One read asked for: the cache key says which entity (and version of it). */
interface SharedRead {
  key: string;
  entity: Entity;
  entityRef: string;
  /** Only with a key of the user's own (see userStatusCacheKey). */
  kubernetesCredentials?: UserKubernetesCredentials;
  /** A refresh joining a read in flight gets that read: it started just now. */
  refresh?: boolean;
  /** The first caller's deadline (later callers' are later). */
  answerDue?: AnswerDue;
}

/**
 * Coalesces concurrent reads of one entity: a DataLoader whose cache holds
 * only the reads in flight (each is forgotten as it settles, so the next
 * caller reads again; answers are kept by the status cache, not here). A
 * read outlives its callers' deadlines (so the next caller finds it done) but
 * not the hard limit, after which it is cancelled. Callers are authorised for
 * the entity before they get here, and the answer is the entity's, whoever
 * asks.
 */
export class SharedReads {
  private readonly inFlight = new DataLoader<
    SharedRead,
    EntityGatewaysResponse,
    string
  >(
    reads =>
      Promise.all(
        reads.map(read =>
          this.collect(read).catch(e =>
            e instanceof Error ? e : new Error(String(e)),
          ),
        ),
      ),
    { batch: false, cacheKeyFn: read => read.key },
  );

  constructor(private readonly options: SharedReadsOptions) {}

  read(
    key: string,
    entity: Entity,
    entityRef: string,
    kubernetesCredentials?: UserKubernetesCredentials,
    refresh?: boolean,
    answerDue?: AnswerDue,
  ): Promise<EntityGatewaysResponse> {
    const pending = this.inFlight.load({
      key,
      entity,
      entityRef,
      kubernetesCredentials,
      refresh,
      answerDue,
    });
    pending.catch(() => undefined);
    return pending;
  }

  private async collect(read: SharedRead): Promise<EntityGatewaysResponse> {
    // The rest is what the read was asked with: credentials, refresh, when it is due.
    const { key, entity, entityRef, ...asked } = read;
    const { source, limitMs, now, onRead } = this.options;
    const controller = new AbortController();
    const collected = source
      .collect(entity, entityRef, { ...asked, signal: controller.signal })
      .then(response => {
        // fetchedAt is when the data was read: the end of the read.
        const answer = {
          ...response,
          fetchedAt: new Date(now()).toISOString(),
        };
        onRead(key, answer, entity);
        return answer;
      });
    try {
      const result = await within(collected, limitMs);
      if (result !== TIMED_OUT) return result;
      controller.abort();
      throw new Error(
        `reading took longer than ${limitMs} ms and was cancelled`,
      );
    } finally {
      this.inFlight.clear(read);
    }
  }
}
