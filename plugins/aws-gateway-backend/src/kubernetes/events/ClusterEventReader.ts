/**
 * Reads the events about given objects in one cluster, for one request:
 * through the request's Kubernetes connection (the Kubernetes plugin's proxy,
 * its deadline and the request's AbortSignal), one list per object by field
 * selector, at most `perObjectLimit` events each. Which API to use is decided
 * once per cluster and remembered (EventApiCache).
 */
import { apiStatusCode } from '@gateway-portal/plugin-aws-gateway-node';
import { RequestMemo } from '../../requestMemo';
import { KubernetesConnection } from '../KubernetesObjectClient';
import { EventApiCache } from './EventApiCache';
import {
  EVENT_API_ORDER,
  EVENT_RESOURCES,
  EventApi,
  eventFieldSelector,
  EventSubject,
  eventsNamespaceOf,
  invalidSubjectReason,
  subjectKey,
} from './eventSelectors';
import { ObservedEvent, observedEventOf } from './observedEvent';

const DEFAULT_PER_OBJECT_LIMIT = 50;

/** What one read of several subjects' events found. */
export interface EventsRead {
  /** `not-readable`: RBAC allows neither API; `failed`: see `failure`. */
  availability: 'read' | 'not-readable' | 'failed';
  api?: EventApi;
  events: ObservedEvent[];
  /** Subjects that had more events than the per-object limit. */
  cappedSubjects: number;
  /** The error of a failed read, for the log. */
  failure?: unknown;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: number };
  return e?.statusCode ?? apiStatusCode(error);
}

/** 403 (RBAC) or 404 (API not served): the other API may answer. */
function isRefusal(error: unknown): boolean {
  const status = statusOf(error);
  return status === 403 || status === 404;
}

function withoutRefusal({
  refused: _refused,
  ...read
}: EventsRead & { refused?: boolean }): EventsRead {
  return read;
}

export class ClusterEventReader {
  private readonly memo = new RequestMemo();
  private decision?: Promise<EventApi | null>;
  private readonly perObjectLimit: number;

  constructor(
    readonly cluster: string,
    private readonly connection: KubernetesConnection,
    private readonly apis: EventApiCache,
    options: { perObjectLimit?: number } = {},
  ) {
    this.perObjectLimit = options.perObjectLimit ?? DEFAULT_PER_OBJECT_LIMIT;
  }

  async read(subjects: EventSubject[]): Promise<EventsRead> {
    const valid = subjects.filter(s => !invalidSubjectReason(s));
    if (!valid.length) {
      return { availability: 'read', events: [], cappedSubjects: 0 };
    }
    const remembered = this.apis.get(this.cluster) !== undefined;
    const read = await this.readWithChosenApi(valid);
    if (read.refused && remembered) {
      // RBAC changed or the API went away since it was chosen: choose again, once.
      this.apis.forget(this.cluster);
      this.decision = undefined;
      return withoutRefusal(await this.readWithChosenApi(valid));
    }
    return withoutRefusal(read);
  }

  private async readWithChosenApi(
    valid: EventSubject[],
  ): Promise<EventsRead & { refused?: boolean }> {
    let api: EventApi | null;
    try {
      api = await this.chooseApi(valid[0]);
    } catch (failure) {
      return { availability: 'failed', events: [], cappedSubjects: 0, failure };
    }
    if (!api) {
      return { availability: 'not-readable', events: [], cappedSubjects: 0 };
    }
    const chosen = api;
    try {
      const lists = await this.listEach(chosen, valid);
      return {
        availability: 'read',
        api: chosen,
        events: lists.flatMap(l => l.events),
        cappedSubjects: lists.filter(l => l.capped).length,
      };
    } catch (failure) {
      if (!isRefusal(failure)) {
        return {
          availability: 'failed',
          events: [],
          cappedSubjects: 0,
          failure,
        };
      }
      this.apis.forget(this.cluster);
      return {
        availability: 'not-readable',
        events: [],
        cappedSubjects: 0,
        refused: true,
      };
    }
  }

  /**
   * Each subject's events in `chosen`; a subject refused there while others
   * were answered is read in the other API (the same events): the cache's
   * events watches of a cluster can serve different APIs for a moment, as
   * they move from an API that lists but may not be watched to the next.
   * Throws the refusal when every subject, or a subject in every API, is
   * refused.
   */
  private async listEach(chosen: EventApi, subjects: EventSubject[]) {
    const answers = await Promise.allSettled(
      subjects.map(s => this.listFor(chosen, s)),
    );
    const rejected = answers.filter(
      (a): a is PromiseRejectedResult => a.status === 'rejected',
    );
    const failure = rejected.find(a => !isRefusal(a.reason));
    if (failure) throw failure.reason;
    // Refused for every subject: the API is, not a moment between watches.
    if (rejected.length === answers.length) throw rejected[0].reason;
    const others = EVENT_API_ORDER.filter(a => a !== chosen);
    return Promise.all(
      answers.map((answer, i) =>
        answer.status === 'fulfilled'
          ? answer.value
          : this.listInFirstOf(others, subjects[i]),
      ),
    );
  }

  /** A subject's events in the first of `apis` that does not refuse them. */
  private async listInFirstOf(apis: EventApi[], subject: EventSubject) {
    let refusal: unknown;
    for (const api of apis) {
      try {
        return await this.listFor(api, subject);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        refusal = e;
      }
    }
    throw refusal;
  }

  /** The remembered API, or the first that answers a list for `probe`. */
  private chooseApi(probe: EventSubject): Promise<EventApi | null> {
    const known = this.apis.get(this.cluster);
    if (known !== undefined) return Promise.resolve(known);
    this.decision ??= (async () => {
      for (const api of EVENT_API_ORDER) {
        try {
          await this.listFor(api, probe);
          this.apis.set(this.cluster, api);
          return api;
        } catch (e) {
          if (!isRefusal(e)) throw e;
        }
      }
      this.apis.set(this.cluster, null);
      return null;
    })();
    return this.decision;
  }

  private listFor(
    api: EventApi,
    subject: EventSubject,
  ): Promise<{ events: ObservedEvent[]; capped: boolean }> {
    return this.memo.once(`${api}|${subjectKey(subject)}`, async () => {
      // One more than kept: its presence says the object had more.
      const { group, versions, plural } = EVENT_RESOURCES[api];
      const items = await this.connection.list(
        { group, version: versions[0], plural },
        {
          namespace: eventsNamespaceOf(subject),
          fieldSelector: eventFieldSelector(api, subject),
          limit: this.perObjectLimit + 1,
        },
      );
      return {
        events: items
          .slice(0, this.perObjectLimit)
          .map(item => observedEventOf(api, subject, item)),
        capped: items.length > this.perObjectLimit,
      };
    });
  }
}
