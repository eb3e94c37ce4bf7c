import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { credentialsWording, GitRemote } from './gitCredentials';
import { GitOperation, seconds } from './gitHttp';

/**
 * The one transport and error mapping of the forge clients (octokit,
 * gitbeaker, Gitea's JSON API): every request has the per-request deadline and
 * the operation's signal (its deadline and the task's cancellation), follows no
 * redirect (one could carry the credentials to another host), and every
 * failure becomes an error that names the input to fix, the repository and the
 * status — never a header, a token or a text the server sent.
 */
export interface ForgeHttp {
  /** fetch bound to the operation: deadline, signal, no redirects. */
  fetch: typeof fetch;
  /** Runs one client call; a rejection becomes an explained error. */
  call<T>(what: string, work: () => Promise<T>): Promise<T>;
  /**
   * `call` for a client on its own transport, which takes no signal
   * (azure-devops-node-api): the per-request deadline is a rejection here.
   */
  callWithin<T>(what: string, work: () => Promise<T>): Promise<T>;
  readonly operation: GitOperation;
}

/** What a refused request means, by status; `whose` names the credentials. */
function reasonFor(status: number, whose: string): string | undefined {
  const reasons: Record<number, string> = {
    401: `it refused ${whose}`,
    403: `${whose} may not do this`,
    404: `the repository does not exist or ${whose} cannot see it`,
    409: 'it conflicts with an existing pull request',
    422: 'it refused the request as invalid (head and base must be existing, different branches; reviewers must be able to review)',
  };
  return reasons[status];
}

/**
 * The HTTP status of a client's error: octokit's `status`, typed-rest-client's
 * (azure-devops-node-api) `statusCode`, gitbeaker's `cause.response.status`.
 */
export function errorStatus(error: unknown): number | undefined {
  const e = error as {
    status?: unknown;
    statusCode?: unknown;
    cause?: { response?: { status?: unknown } };
  };
  if (typeof e?.status === 'number') return e.status;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  const status = e?.cause?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

export function forgeHttp(
  remote: Pick<GitRemote, 'type' | 'url' | 'source'>,
  operation: GitOperation,
  doFetch: typeof fetch = fetch,
): ForgeHttp {
  const repoUrl = remote.url.href;
  const { field, whose } = credentialsWording(remote.source);
  // The transport's own failure, kept because clients wrap it in their own errors.
  let transportError: Error | undefined;

  const notAnswered = () =>
    new ServiceUnavailableError(
      `${field}: the ${
        remote.type
      } API for ${repoUrl} did not answer within ${seconds(
        operation.timeouts.requestMs,
      )}`,
    );
  /** A transport failure by its system error code (ECONNREFUSED…), never its text. */
  const unreachable = (error: unknown) => {
    const e = error as { code?: unknown; cause?: { code?: unknown } };
    const code = [e?.code, e?.cause?.code].find(
      c => typeof c === 'string' && /^[A-Z0-9_]+$/.test(c),
    );
    return new InputError(
      `${field}: the ${remote.type} API for ${repoUrl} could not be reached (${
        code ?? 'network error'
      })`,
    );
  };

  const boundFetch: typeof fetch = async (input, init) => {
    const requestMs = operation.timeouts.requestMs;
    try {
      return await doFetch(input, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.any([
          operation.signal,
          AbortSignal.timeout(requestMs),
          ...(init?.signal ? [init.signal] : []),
        ]),
      });
    } catch (error) {
      operation.check();
      transportError =
        (error as Error)?.name === 'TimeoutError'
          ? notAnswered()
          : unreachable(error);
      throw transportError;
    }
  };

  const explain = (what: string, error: unknown): Error => {
    if (operation.signal.aborted) return operation.abortError();
    if (transportError) return transportError;
    if (error instanceof InputError || error instanceof ServiceUnavailableError)
      return error;
    if ((error as Error)?.name === 'GitbeakerTimeoutError')
      return notAnswered();
    const status = errorStatus(error);
    // A client on Node's own http (azure-devops-node-api) fails with a system error code.
    const code = (error as { code?: unknown })?.code;
    if (
      status === undefined &&
      typeof code === 'string' &&
      /^E[A-Z0-9_]+$/.test(code)
    )
      return unreachable(error);
    if (status === undefined) {
      return new InputError(
        `${field}: the ${remote.type} API for ${repoUrl} failed when asked to ${what} (unexpected answer)`,
      );
    }
    const reason = reasonFor(status, whose);
    const message = `${
      status === 401 || status === 403 ? field : 'repoUrl'
    }: the ${
      remote.type
    } API for ${repoUrl} answered HTTP ${status} when asked to ${what}${
      reason ? `: ${reason}` : ''
    }${
      remote.source === 'user' && (status === 401 || status === 403)
        ? "; the integration's credentials were not tried instead"
        : ''
    }`;
    return status === 403
      ? new NotAllowedError(message)
      : new InputError(message);
  };

  const call = async <T>(what: string, work: () => Promise<T>) => {
    transportError = undefined;
    try {
      return await operation.run(work);
    } catch (error) {
      throw explain(what, error);
    }
  };
  return {
    fetch: boundFetch,
    operation,
    call,
    callWithin: (what, work) =>
      call(what, async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(notAnswered()),
            operation.timeouts.requestMs,
          );
        });
        try {
          return await Promise.race([work(), deadline]);
        } finally {
          clearTimeout(timer);
        }
      }),
  };
}
