import { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  GitHttpRequest,
  GitHttpResponse,
  HttpClient,
} from 'isomorphic-git';

/** Deadlines of every call to a git server or a forge API. @public */
export interface GitTimeouts {
  /** Until the response headers arrive, per request (covers connecting). Default 30 s. */
  requestMs: number;
  /** For a whole operation (list, fetch, push, pull request), all requests included. Default 120 s. */
  operationMs: number;
}

/** @public */
export const DEFAULT_GIT_TIMEOUTS: GitTimeouts = {
  requestMs: 30_000,
  operationMs: 120_000,
};

/** A deadline for messages: `2 s`, `0.3 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Thrown when a deadline passes; says which operation and never the server's address. */
export class GitDeadlineExceeded extends ServiceUnavailableError {}

/**
 * An operation's cancellation: the caller's signal (the task's) or the
 * operation's deadline, whichever comes first. Errors raised because of it
 * name the operation and the deadline, never the server.
 */
export class GitOperation {
  readonly signal: AbortSignal;
  private readonly deadline: AbortSignal;

  constructor(
    readonly what: string,
    readonly timeouts: GitTimeouts,
    caller?: AbortSignal,
  ) {
    this.deadline = AbortSignal.timeout(timeouts.operationMs);
    this.signal = caller
      ? AbortSignal.any([caller, this.deadline])
      : this.deadline;
  }

  /** Throws when the task was cancelled or the deadline passed. */
  check(): void {
    if (this.signal.aborted) throw this.abortError();
  }

  abortError(): Error {
    if (this.deadline.aborted) {
      return new GitDeadlineExceeded(
        `the GitOps repository did not answer in time (${this.what}: ${seconds(
          this.timeouts.operationMs,
        )} deadline); run the task again: a re-run makes no second commit`,
      );
    }
    return new ServiceUnavailableError(`${this.what} was cancelled`);
  }

  /** Runs `work`, rejecting as soon as the operation is cancelled or times out. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.check();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.abortError());
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work(), aborted]);
    } catch (error) {
      // Whatever the transport says when it is aborted, the cause is the deadline or the cancellation.
      if (this.signal.aborted) throw this.abortError();
      throw error;
    } finally {
      this.signal.removeEventListener('abort', onAbort!);
    }
  }
}

async function collect(
  body: GitHttpRequest['body'],
): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>)
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * isomorphic-git's HTTP transport on Node's fetch, bound to one operation:
 * a per-request deadline for the response headers, the operation's signal on
 * every request and body read, and no redirects (a redirect could carry the
 * integration's credentials to another host).
 */
export function deadlineHttpClient(operation: GitOperation): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      // Aborts the request only while waiting for headers; the body is bounded by the operation.
      const headersDeadline = new AbortController();
      const timer = setTimeout(
        () => headersDeadline.abort(),
        operation.timeouts.requestMs,
      );
      let res: Response;
      try {
        res = await fetch(req.url, {
          method: req.method ?? 'GET',
          headers: req.headers,
          body: await collect(req.body),
          redirect: 'manual',
          signal: AbortSignal.any([operation.signal, headersDeadline.signal]),
        });
      } catch (error) {
        operation.check();
        if (headersDeadline.signal.aborted) {
          throw new GitDeadlineExceeded(
            `the GitOps repository did not answer in time (${
              operation.what
            }: no response within ${seconds(operation.timeouts.requestMs)})`,
          );
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        throw new ServiceUnavailableError(
          `the GitOps repository answered ${operation.what} with a redirect (HTTP ${res.status}); redirects are not followed, configure the repository's final URL`,
        );
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => (headers[key] = value));
      return {
        url: req.url,
        method: req.method,
        statusCode: res.status,
        statusMessage: res.statusText,
        headers,
        body: res.body ? readBody(res.body, operation) : undefined,
      };
    },
  };
}

async function* readBody(
  body: ReadableStream<Uint8Array>,
  operation: GitOperation,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>)
      yield chunk;
  } catch (error) {
    operation.check();
    throw error;
  }
}

const CONFIG_TIMEOUTS = 'awsGateway.provisioning.gitops.timeouts';

/** Git deadlines from `awsGateway.provisioning.gitops.timeouts`, defaults otherwise. @public */
export function readGitTimeouts(config: Config): GitTimeouts {
  const c = config.getOptionalConfig(CONFIG_TIMEOUTS);
  const configuredMs = (key: string, fallbackMs: number) => {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) return fallbackMs;
    if (!(value > 0 && value <= 3600)) {
      throw new Error(
        `Invalid configuration: ${CONFIG_TIMEOUTS}.${key} must be a number of seconds from 0 to 3600`,
      );
    }
    return value * 1000;
  };
  return {
    requestMs: configuredMs('requestSeconds', DEFAULT_GIT_TIMEOUTS.requestMs),
    operationMs: configuredMs(
      'operationSeconds',
      DEFAULT_GIT_TIMEOUTS.operationMs,
    ),
  };
}
