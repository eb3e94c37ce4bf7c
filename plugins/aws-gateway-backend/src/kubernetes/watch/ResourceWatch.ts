import {
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import { ResourceSpec } from '@gateway-portal/plugin-aws-gateway-node';
import { ResourceVersion } from '../KubernetesObjectClient';
import { KubeObject } from '../types';
import { WatchedResource } from './watchedResources';

/**
 * One page of a list: its items, its resourceVersion, whether more follow.
 *
 * @public
 */
export interface ListedPage {
  items: KubeObject[];
  resourceVersion: string;
  /** The API server cut the list at `limit` (it says how to continue). */
  truncated: boolean;
}

/**
 * What a ResourceWatch needs from the cluster: a bounded list and a watch.
 *
 * @public
 */
export interface WatchTransport {
  /** Lists `path` with at most `limit` items; throws the API's error (404: not served). */
  list(
    resource: ResourceVersion,
    options: { labelSelector?: string; fieldSelector?: string; limit: number },
  ): Promise<ListedPage>;
  /** A client-node Watch whose requests reach the cluster. */
  watch(): Promise<Watch>;
}

/** How a watched object changed: the watch's ADDED, MODIFIED and DELETED. */
export type WatchChangeType = 'added' | 'modified' | 'deleted';

/** What a ResourceWatch reports to the cluster holding it. */
export interface ResourceWatchEvents {
  /** An object was added, changed or deleted (after the first list). */
  onChange(
    object: KubeObject,
    resource: ResourceSpec,
    type: WatchChangeType,
  ): void;
  /** The number of objects held changed by `delta`; false stops the watch (over the bound). */
  onCount(delta: number): boolean;
  /** A list or watch failed; the watch restarts after `retryInMs`. */
  onError(error: unknown, retryInMs: number): void;
  /** The watch's state changed (synced, not served, failed…). */
  onState?(state: ResourceWatchState): void;
}

export interface ResourceWatchTiming {
  /** Longest a watch request stays open before the API server is asked to end it. */
  watchTimeoutSeconds: number;
  /** How often the whole list is read again (objects diffed, deletions seen). */
  resyncMs: number;
  /** First and longest restart delays after an error. */
  backoffMs: { initial: number; max: number };
  /** Most objects this resource may still hold when it lists. */
  budget: () => number;
}

/** A list or watch the API server refused (403: RBAC), for the resource in the API it was asked in. */
export interface WatchRefusal {
  verb: 'list' | 'watch';
  resource: ResourceSpec;
}

export type ResourceWatchState =
  | 'starting'
  | 'synced'
  | 'notServed'
  | 'failed'
  | 'stopped';

/** How each change moves the count of objects held. */
const COUNT_DELTA: Readonly<Record<WatchChangeType, number>> = {
  added: 1,
  modified: 0,
  deleted: -1,
};

/** The 410 Gone ListWatch answers by listing again (its documented relist trigger). */
const RELIST = Object.assign(new Error('resync'), { statusCode: 410 });
/** Why a watch served by a fallback API ends: its preferred API is asked again. */
const PREFERRED_AGAIN = new Error('asking the preferred API again');
/** At most how much longer than its timeout a watch may stay open before it is ended here. */
const STALL_GRACE_MS = 30_000;
/** The annotation of the BOOKMARK that ends a watch's initial events (sendInitialEvents). */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
/** What an API server without the WatchList feature answers a watch asking for its initial events. */
const INITIAL_EVENTS_UNSUPPORTED = [400, 422];

function isNamedObject(item: unknown): item is KubeObject {
  const name = (item as KubeObject | undefined)?.metadata?.name;
  return typeof name === 'string' && name.length > 0;
}

function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** A list longer than the cluster's object budget. */
export class OverBoundError extends Error {
  constructor(resource: ResourceSpec) {
    super(
      `${resource.plural}.${
        resource.group || 'core'
      } has more objects than the watch cache may hold`,
    );
    this.name = 'OverBoundError';
  }
}

/** The HTTP status of a client-node error (ApiException code, Watch statusCode). */
export function apiStatus(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** What a BoundedWatch needs from the ResourceWatch it serves. */
interface WatchOwner {
  transport: WatchTransport;
  timeoutSeconds: number;
  isStopped(): boolean;
  /** Time left until the next full list is due. */
  resyncInMs(): number;
  /** ListWatch has applied a list and starts watching: the resource is synced. */
  onWatching(): void;
  /** The API server accepted the watch request (its 200 came). */
  onWatchAccepted(): void;
  /** The API server answered the watch request with `error` (e.g. a 403). */
  onWatchRefused(error: unknown): void;
  /**
   * Whether this watch request asks for its initial events: the API server
   * answers it at once (they end with a BOOKMARK), so its acceptance is
   * known even behind a proxy that holds a silent watch's headers.
   */
  wantsVerdict(): boolean;
  /** A watch was asked whose acceptance may go unsaid until its first event. */
  onSilentWatch(): void;
  /** The API server does not take `sendInitialEvents` (400/422): watch without from now on. */
  onInitialEventsUnsupported(): void;
  /** The objects held now. */
  held(): KubeObject[];
}

/**
 * A Watch that bounds each request (timeoutSeconds, bookmarks, a stall
 * guard), ends one with 410 when a resync is due, and tells its owner once
 * ListWatch has applied a list and starts watching.
 */
class BoundedWatch extends Watch {
  constructor(private readonly owner: WatchOwner) {
    // Requests go through the transport's Watch; this one has no config.
    super(undefined as never);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    const owner = this.owner;
    if (owner.isStopped()) return new AbortController();
    let inner: Watch;
    try {
      inner = await owner.transport.watch();
    } catch (e) {
      // ListWatch learns of failures through `done` only.
      setImmediate(() => done(e));
      return new AbortController();
    }
    let finished = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    let request: AbortController | undefined = undefined;
    const finish = (err: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done(err);
    };
    owner.onWatching();
    // The initial events are the state as of at least the list's version:
    // what they leave out was deleted since, and is reported so at their end.
    const initialEvents = owner.wantsVerdict();
    let initial: Set<string> | undefined = initialEvents
      ? new Set()
      : undefined;
    if (!initialEvents) owner.onSilentWatch();
    const relay = (phase: string, apiObj: any, watchObj?: any) => {
      // An object without a name cannot be keyed (ListWatch would throw on it).
      if (phase !== 'BOOKMARK' && phase !== 'ERROR' && !isNamedObject(apiObj))
        return;
      if (initial && phase === 'ADDED') {
        initial.add(objectKey(apiObj));
      } else if (
        initial &&
        phase === 'BOOKMARK' &&
        apiObj?.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true'
      ) {
        const seen = initial;
        initial = undefined;
        for (const held of owner.held()) {
          if (!seen.has(objectKey(held))) callback('DELETED', held);
        }
        owner.onWatchAccepted();
      }
      callback(phase, apiObj, watchObj);
    };
    const timeoutSeconds = owner.timeoutSeconds;
    const resyncInMs = owner.resyncInMs();
    const stallInMs =
      timeoutSeconds * 1000 + Math.min(STALL_GRACE_MS, timeoutSeconds * 1000);
    const resync = resyncInMs <= stallInMs;
    timer = setTimeout(() => {
      finish(resync ? RELIST : null);
      request?.abort();
    }, Math.max(0, resync ? resyncInMs : stallInMs));
    timer.unref?.();
    request = await inner.watch(
      path,
      {
        ...queryParams,
        timeoutSeconds,
        allowWatchBookmarks: true,
        ...(initialEvents
          ? { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }
          : {}),
      },
      relay,
      err => {
        const status = apiStatus(err);
        if (!finished && status !== undefined) {
          if (initialEvents && INITIAL_EVENTS_UNSUPPORTED.includes(status))
            owner.onInitialEventsUnsupported();
          else owner.onWatchRefused(err);
        }
        finish(err);
      },
    );
    // client-node's watch() returns once the answer's status is known: an
    // error has called `done` by then, so unfinished means accepted.
    if (finished) request.abort();
    else owner.onWatchAccepted();
    const opened = request;
    return Object.assign(new AbortController(), {
      abort: () => {
        // A deliberate stop: ListWatch must not hear it as an error.
        finished = true;
        clearTimeout(timer);
        opened.abort();
      },
    });
  }
}

/** One API version a WatchedResource may be listed in, with the watch's field selector there. */
interface Candidate extends ResourceVersion {
  spec: ResourceSpec;
  fieldSelector?: string;
}

function candidatesOf(resource: WatchedResource): Candidate[] {
  return resource.apis.flatMap(({ spec, fieldSelector }) =>
    spec.versions.map(version => ({
      spec,
      group: spec.group,
      version,
      plural: spec.plural,
      ...(fieldSelector ? { fieldSelector } : {}),
    })),
  );
}

/**
 * One resource of one cluster, held by client-node's ListWatch: the served
 * version is found by listing every version at once and keeping the newest
 * that answers (one round trip; the next API, if any, only when the first is
 * refused; after a restart the known one is listed first, alone), then the
 * list is watched from its resourceVersion. Every watch request asks the API
 * server to end it after `watchTimeoutSeconds` (and is ended here if it goes
 * silent beyond that); every `resyncMs` the whole list is read again. An
 * error restarts the watch with exponential backoff up to `backoffMs.max`
 * (reset once a watch is accepted); a list longer than the budget stops it
 * (the cluster then reads directly). A list or watch refused (403) is
 * remembered as `refused` until that verb succeeds (asked again with that
 * backoff: a grant is picked up without a restart), and after a refused
 * watch a list alone is not served. The first watch, and every watch while
 * its refusal is remembered, asks for its initial events: the API server
 * answers at once, so `firstVerdict` comes even through a proxy that holds a
 * silent watch's headers. Where a refusal moves on to the next API (events),
 * an API that lists but may not be watched is left for the next one at once
 * (core events) and asked again after `backoffMs.max`; it is used, its
 * refusal named, only when no other lists.
 */
export class ResourceWatch {
  private state: ResourceWatchState = 'starting';
  private listWatch?: ListWatch<KubernetesObject>;
  private served?: Candidate;
  private readonly candidates: Candidate[];
  /** What changes are reported as, whichever API is served. */
  readonly resource: ResourceSpec;
  private failures = 0;
  private restartTimer?: NodeJS.Timeout;
  private lastListAt = 0;
  private held = 0;
  /**
   * What the watch held when it failed, by namespace/name: the restarted
   * watch's first list is compared with it, so a change made while the
   * watch was down is reported once it has resynced.
   */
  private heldBefore?: Map<string, KubeObject>;
  /** A list was applied since the last failure (what it holds is worth keeping as `heldBefore`). */
  private listed = false;
  /** The last list or watch refused, until that verb is allowed again. */
  private refusal?: WatchRefusal;
  /**
   * APIs that listed but whose watch was refused: tried after the others,
   * until a watch served by another API has run `backoffMs.max` (then the
   * preferred ones are asked again: a grant added since is picked up).
   */
  private readonly unwatchable = new Set<Candidate>();
  private preferredAgainTimer?: NodeJS.Timeout;
  /**
   * The watch ends to start again at once, not as a failure: its watch was
   * refused and another API is tried, the API server does not take initial
   * events, or the preferred API is asked again.
   */
  private restartNow = false;
  /** Watch requests ask for their initial events while a verdict is wanted (until the server says it has none). */
  private initialEvents = true;
  private firstVerdictGiven = false;
  private settleFirstVerdict!: () => void;
  /**
   * Settles once the first watch request has an answer (accepted, or
   * refused with no other API to move on to), or the watch failed, is not
   * served or stopped: from then on `refused` says what the API server
   * refuses. Lists come back a round trip before it.
   */
  readonly firstVerdict = new Promise<void>(resolve => {
    this.settleFirstVerdict = resolve;
  });
  private settleVerdictOrSilence!: () => void;
  /**
   * Settles with `firstVerdict`, or once a watch is asked whose acceptance
   * may go unsaid (no initial events: behind the Kubernetes plugin's proxy
   * its headers wait for its first event). Until then the verdict is on its
   * way: lists, a refusal moving on to another API, initial events.
   */
  readonly firstVerdictOrSilence = new Promise<void>(resolve => {
    this.settleVerdictOrSilence = resolve;
  });

  constructor(
    private readonly watched: WatchedResource,
    private readonly transport: WatchTransport,
    private readonly events: ResourceWatchEvents,
    private readonly timing: ResourceWatchTiming,
    private readonly now: () => number = Date.now,
  ) {
    this.candidates = candidatesOf(watched);
    this.resource = watched.apis[0].spec;
  }

  get status(): ResourceWatchState {
    return this.state;
  }

  private setState(state: ResourceWatchState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.onState?.(state);
  }

  /** The API version being watched (and its field selector there), once found. */
  get servedApi(): (ResourceVersion & { fieldSelector?: string }) | undefined {
    if (!this.served) return undefined;
    const { group, version, plural, fieldSelector } = this.served;
    return { group, version, plural, fieldSelector };
  }

  /** The verb and resource the API server refused last, until a request with that verb succeeds. */
  get refused(): WatchRefusal | undefined {
    return this.refusal;
  }

  /** The objects held, when synced; undefined otherwise. */
  objects(namespace?: string): KubeObject[] | undefined {
    if (this.state !== 'synced' || !this.listWatch) return undefined;
    return this.listWatch.list(namespace) as unknown as KubeObject[];
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.listWatch?.get(name, namespace) as unknown as
      | KubeObject
      | undefined;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.setState('stopped');
    this.verdictGiven();
    clearTimeout(this.restartTimer);
    clearTimeout(this.preferredAgainTimer);
    const listWatch = this.listWatch;
    this.listWatch = undefined;
    this.events.onCount(-this.held);
    this.held = 0;
    void listWatch?.stop();
  }

  private async run(): Promise<void> {
    if (this.state === 'stopped') return;
    try {
      const first = await this.findServedVersion();
      // stop() may have been called while listing.
      if (this.isStopped()) return;
      if (!first) {
        this.setState('notServed');
        this.verdictGiven();
        // Asked again at the next resync: the CRD may be installed later.
        this.scheduleRestart(this.timing.resyncMs, false);
        return;
      }
      this.listen(first);
    } catch (e) {
      this.failed(e);
    }
  }

  /** Whether an error of listing a candidate means "try the next one". */
  private movesOn(error: unknown): boolean {
    const status = apiStatus(error);
    return (
      status === 404 || (status === 403 && Boolean(this.watched.refusalMovesOn))
    );
  }

  private async findServedVersion(): Promise<ListedPage | undefined> {
    const watchable = (c: Candidate) => !this.unwatchable.has(c);
    const known =
      this.served && watchable(this.served) ? this.served : undefined;
    if (known) {
      // A restart: the served one is very likely still served.
      try {
        return await this.listCandidate(known);
      } catch (e) {
        if (!this.movesOn(e)) throw e;
      }
    }
    // Every version of an API at once: version discovery adds no round
    // trip. The next API (core events) only when the first is refused;
    // those that may not be watched last.
    const groups = [
      ...this.watched.apis.map(({ spec }) =>
        this.candidates.filter(c => c.spec === spec && watchable(c)),
      ),
      this.candidates.filter(c => !watchable(c)),
    ];
    for (const [i, group] of groups.entries()) {
      if (i === groups.length - 1 && group.length) {
        // Only APIs whose watch was refused are left: that is the verdict,
        // known now, a list and a watch before they would tell it again.
        this.refusal = { verb: 'watch', resource: group[0].spec };
        this.verdictGiven();
      }
      const versions = group.filter(c => c !== known);
      const answers = await Promise.allSettled(
        versions.map(c => this.listCandidate(c)),
      );
      for (const [j, answer] of answers.entries()) {
        if (answer.status === 'fulfilled') {
          this.served = versions[j];
          return answer.value;
        }
        if (!this.movesOn(answer.reason)) throw answer.reason;
      }
    }
    this.served = undefined;
    return undefined;
  }

  private async listCandidate(candidate: Candidate): Promise<ListedPage> {
    const { group, version, plural, fieldSelector } = candidate;
    const budget = Math.max(0, this.timing.budget() + this.held);
    let page: ListedPage;
    try {
      page = await this.transport.list(
        { group, version, plural },
        {
          labelSelector: this.watched.labelSelector,
          fieldSelector,
          limit: budget + 1,
        },
      );
    } catch (e) {
      if (apiStatus(e) === 403 && !this.movesOn(e))
        this.refusal = { verb: 'list', resource: candidate.spec };
      throw e;
    }
    if (this.refusal?.verb === 'list') this.refusal = undefined;
    if (page.truncated || page.items.length > budget) {
      throw new OverBoundError(this.resource);
    }
    this.lastListAt = this.now();
    // Items without a name cannot be keyed (ListWatch would throw on them).
    return { ...page, items: page.items.filter(isNamedObject) };
  }

  private listen(first: ListedPage): void {
    const served = this.served as Candidate;
    const { group, version, plural } = served;
    const path = group
      ? `/apis/${group}/${version}/${plural}`
      : `/api/${version}/${plural}`;
    const reportedAs: ResourceSpec = { ...served.spec, versions: [version] };
    let pending: ListedPage | undefined = first;
    const listFn = async (): Promise<
      KubernetesListObject<KubernetesObject>
    > => {
      const page = pending ?? (await this.listCandidate(served));
      pending = undefined;
      return {
        apiVersion: 'v1',
        kind: 'List',
        metadata: { resourceVersion: page.resourceVersion },
        items: page.items as unknown as KubernetesObject[],
      };
    };
    const listWatch: ListWatch<KubernetesObject> =
      new ListWatch<KubernetesObject>(
        path,
        new BoundedWatch({
          transport: this.transport,
          timeoutSeconds: this.timing.watchTimeoutSeconds,
          isStopped: () => this.isStopped(),
          resyncInMs: () => this.lastListAt + this.timing.resyncMs - this.now(),
          onWatching: () => {
            const gone = this.heldBefore;
            this.heldBefore = undefined;
            this.listed = true;
            // After a refused watch, the list alone is not served: only a
            // watch the API server accepts keeps it current.
            if (this.refusal?.verb !== 'watch') this.setState('synced');
            // Deleted while the watch was down.
            for (const object of gone?.values() ?? []) {
              this.events.onChange(object, reportedAs, 'deleted');
            }
          },
          onWatchAccepted: () => {
            this.verdictGiven();
            // The backoff grows until a watch is accepted: a refused one
            // (listed, then refused) is not retried every second.
            this.failures = 0;
            if (this.refusal?.verb === 'watch') this.refusal = undefined;
            if (this.listWatch === listWatch && this.state === 'starting')
              this.setState('synced');
            if (this.listWatch === listWatch) this.askPreferredLater(served);
          },
          onWatchRefused: error => {
            if (apiStatus(error) !== 403) return;
            const named = this.watchRefusedIn(served);
            if (named) this.refusal = { verb: 'watch', resource: named.spec };
            else this.restartNow = true;
          },
          wantsVerdict: () =>
            this.initialEvents &&
            (!this.firstVerdictGiven || this.refusal?.verb === 'watch'),
          onSilentWatch: () => this.settleVerdictOrSilence(),
          onInitialEventsUnsupported: () => {
            this.initialEvents = false;
            this.restartNow = true;
          },
          held: (): KubeObject[] => listWatch.list() as unknown as KubeObject[],
        }),
        listFn,
        false,
        this.watched.labelSelector,
        served.fieldSelector,
      );
    const counted = (type: WatchChangeType) => (object: KubernetesObject) => {
      if (this.listWatch !== listWatch) return;
      const delta = COUNT_DELTA[type];
      this.held += delta;
      if (!this.events.onCount(delta)) {
        this.failed(new OverBoundError(this.resource));
        return;
      }
      const changed = object as unknown as KubeObject;
      // Changes during the first list are the cache filling, not news:
      // unless they differ from what the watch held before it failed.
      if (this.state === 'synced') {
        this.events.onChange(changed, reportedAs, type);
      } else if (this.heldBefore) {
        const key = objectKey(changed);
        const before = this.heldBefore.get(key);
        this.heldBefore.delete(key);
        if (
          before?.metadata.resourceVersion !== changed.metadata.resourceVersion
        ) {
          this.events.onChange(
            changed,
            reportedAs,
            before ? 'modified' : 'added',
          );
        }
      }
    };
    listWatch.on('add', counted('added'));
    listWatch.on('update', counted('modified'));
    listWatch.on('delete', counted('deleted'));
    listWatch.on('error', error => {
      if (this.listWatch === listWatch) this.failed(error);
    });
    this.listWatch = listWatch;
    void listWatch.start();
  }

  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private verdictGiven(): void {
    this.firstVerdictGiven = true;
    this.settleFirstVerdict();
    this.settleVerdictOrSilence();
  }

  /**
   * A watch accepted in an API other than a preferred one whose watch was
   * refused: once it has run `backoffMs.max`, the preferred APIs are asked
   * again (their refusal may have been fixed), without a restart of the cluster.
   */
  private askPreferredLater(served: Candidate): void {
    if (
      this.preferredAgainTimer ||
      !this.unwatchable.size ||
      this.unwatchable.has(served)
    )
      return;
    const listWatch = this.listWatch;
    this.preferredAgainTimer = setTimeout(() => {
      this.preferredAgainTimer = undefined;
      if (this.listWatch !== listWatch || this.isStopped()) return;
      this.unwatchable.clear();
      this.served = undefined;
      this.restartNow = true;
      this.failed(PREFERRED_AGAIN);
    }, this.timing.backoffMs.max);
    this.preferredAgainTimer.unref?.();
  }

  /**
   * After a watch refused in `served`: undefined when another API may still
   * be watched (moved on to, once per API); else the API the refusal names,
   * the preferred one that lists (granting its watch is the fix).
   */
  private watchRefusedIn(served: Candidate): Candidate | undefined {
    if (!this.watched.refusalMovesOn) return served;
    const first = !this.unwatchable.has(served);
    this.unwatchable.add(served);
    if (first && this.candidates.some(c => !this.unwatchable.has(c))) {
      return undefined;
    }
    return this.candidates.find(c => this.unwatchable.has(c));
  }

  private failed(error: unknown): void {
    if (this.state === 'stopped') return;
    const listWatch = this.listWatch;
    this.listWatch = undefined;
    if (listWatch && this.listed) {
      this.heldBefore = new Map(
        (listWatch.list() as unknown as KubeObject[]).map(o => [
          objectKey(o),
          o,
        ]),
      );
    }
    this.listed = false;
    this.events.onCount(-this.held);
    this.held = 0;
    clearTimeout(this.preferredAgainTimer);
    this.preferredAgainTimer = undefined;
    void listWatch?.stop();
    if (this.restartNow) {
      // Not served meanwhile; listed again now, without backoff.
      this.restartNow = false;
      this.setState('starting');
      this.scheduleRestart(0, false);
      return;
    }
    this.verdictGiven();
    this.setState('failed');
    if (error instanceof OverBoundError) {
      this.events.onError(error, -1);
      return;
    }
    const { initial, max } = this.timing.backoffMs;
    const delay = Math.min(max, initial * 2 ** this.failures);
    this.failures++;
    this.events.onError(error, delay);
    this.scheduleRestart(delay, true);
  }

  private scheduleRestart(delayMs: number, jitter: boolean): void {
    clearTimeout(this.restartTimer);
    const ms = jitter ? delayMs * (0.8 + Math.random() * 0.4) : delayMs;
    this.restartTimer = setTimeout(() => {
      if (this.state === 'stopped') return;
      this.setState('starting');
      void this.run();
    }, ms);
    this.restartTimer.unref?.();
  }
}
