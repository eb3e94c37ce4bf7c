import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  DEFAULT_GIT_TIMEOUTS,
  GitOperation,
  GitTimeouts,
  seconds,
} from './gitHttp';

/** @public */
export type Fetch = typeof fetch;

/** JSON over fetch; errors name repoUrl and the status, never a header or a body the server sent. */
export class JsonClient {
  /** The operation in progress (set by `open`): its deadline and the task's signal. */
  operation = new GitOperation(
    'opening the pull request',
    DEFAULT_GIT_TIMEOUTS,
  );

  constructor(
    private readonly doFetch: Fetch,
    private readonly repoUrl: string,
    private readonly type: string,
    private readonly headers: Record<string, string>,
    private readonly timeouts: GitTimeouts,
  ) {}

  /** Starts a new operation: one deadline for all of its requests. */
  begin(signal?: AbortSignal) {
    this.operation = new GitOperation(
      'opening the pull request',
      this.timeouts,
      signal,
    );
  }

  async get<T>(url: string): Promise<T> {
    const res = await this.send(url, { method: 'GET' });
    if (!res.ok) throw this.failure('list open pull requests', res.status);
    return (await this.operation.run(() => res.json())) as T;
  }

  /**
   * POSTs; on 409/422 asks `onConflict` for the one that already exists and
   * answers it as `existing`, else the created one's JSON as `created`.
   */
  async post<Existing>(
    url: string,
    body: unknown,
    onConflict: () => Promise<Existing | undefined>,
  ): Promise<{ created: unknown } | { existing: Existing }> {
    const res = await this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status === 409 || res.status === 422) {
      const existing = await onConflict();
      if (existing) return { existing };
    }
    if (!res.ok) throw this.failure('open a pull request', res.status);
    return { created: await this.operation.run(() => res.json()) };
  }

  private async send(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ) {
    const operation = this.operation;
    try {
      return await operation.run(() =>
        this.doFetch(url, {
          ...init,
          headers: { ...this.headers, ...init.headers },
          // A redirect could carry the integration's credentials to another host.
          redirect: 'error',
          signal: AbortSignal.any([
            operation.signal,
            AbortSignal.timeout(this.timeouts.requestMs),
          ]),
        }),
      );
    } catch (error) {
      operation.check();
      if (error instanceof ServiceUnavailableError) throw error;
      if ((error as Error)?.name === 'TimeoutError') {
        throw new ServiceUnavailableError(
          `repoUrl: the ${this.type} API for ${
            this.repoUrl
          } did not answer within ${seconds(this.timeouts.requestMs)}`,
        );
      }
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      throw new InputError(
        `repoUrl: the ${this.type} API for ${
          this.repoUrl
        } could not be reached (${
          typeof code === 'string' ? code : 'network error'
        })`,
      );
    }
  }

  private failure(what: string, status: number): Error {
    const why: Record<number, string> = {
      401: "it refused the integration's credentials",
      403: "the integration's credentials may not do this",
      404: 'the repository does not exist or the credentials cannot see it',
      409: 'it conflicts with an existing pull request',
      422: 'head and base must be existing, different branches',
    };
    return new InputError(
      `repoUrl: the ${this.type} API for ${
        this.repoUrl
      } answered HTTP ${status} when asked to ${what}${
        why[status] ? `: ${why[status]}` : ''
      }`,
    );
  }
}
