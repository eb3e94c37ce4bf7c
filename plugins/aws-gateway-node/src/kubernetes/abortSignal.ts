import { ServiceUnavailableError } from '@backstage/errors';
import { isAbortError } from '../errors/networkErrors';
import {
  Configuration,
  KubeConfig,
  KubernetesObjectApi,
  Observable,
  ObservableMiddleware,
  RequestContext,
} from '@kubernetes/client-node';

/**
 * Longest one Kubernetes call of the provisioning actions may take (discovery,
 * a Service read, a server-side dry run): a stalled API server fails the step
 * within this time instead of holding the task. @public
 */
export const KUBERNETES_CALL_TIMEOUT_MS = 10_000;

/**
 * A Kubernetes call that ended on its deadline, as an error that says so (the
 * client reports both a deadline and a cancellation as an abort); a cancelled
 * call's error is returned as it is. Undefined for any other error. @public
 */
export function kubernetesDeadlineError(
  error: unknown,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  what: string,
): Error | undefined {
  if (!(error instanceof Error) || !isAbortError(error)) return undefined;
  if (signal?.aborted) return error;
  return new ServiceUnavailableError(
    `${what}: the cluster's API server did not answer within ${
      timeoutMs / 1000
    } s`,
  );
}

/**
 * Ties each Kubernetes request to a caller's AbortSignal (a cancelled
 * scaffolder step) and, when given, a deadline of its own that starts when the
 * request is sent; keeps any signal the client already sets.
 */
function signalMiddleware(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      const signals = [
        context.getSignal(),
        signal,
        timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
      ].filter((s): s is AbortSignal => s !== undefined);
      context.setSignal(AbortSignal.any(signals));
      return new Observable(Promise.resolve(context));
    },
    post: context => new Observable(Promise.resolve(context)),
  };
}

/**
 * Per-call options for the generated Kubernetes APIs (`api.readX(param, options)`):
 * the caller's signal and, optionally, a per-request deadline. @public
 */
export function abortableCall(signal?: AbortSignal, timeoutMs?: number) {
  return signal || timeoutMs
    ? {
        middleware: [signalMiddleware(signal, timeoutMs)],
        middlewareMergeStrategy: 'append' as const,
      }
    : undefined;
}

/** KubernetesObjectApi whose calls can take a caller's AbortSignal and a per-request deadline. @public */
export class AbortableObjectApi extends KubernetesObjectApi {
  /**
   * Like KubernetesObjectApi.makeApiClient (which always builds the base
   * class). With `deadline`, every request of this client, including the
   * discovery requests it makes by itself, carries the signal and timeout.
   */
  static forKubeConfig<T extends AbortableObjectApi>(
    this: new (configuration: Configuration) => T,
    kubeConfig: KubeConfig,
    deadline?: { signal?: AbortSignal; timeoutMs?: number },
  ): T {
    const client = kubeConfig.makeApiClient(this);
    client.setDefaultNamespace(kubeConfig);
    if (deadline?.signal || deadline?.timeoutMs) {
      client.configuration = client.configurationWith(
        deadline.signal,
        deadline.timeoutMs,
      )!;
    }
    return client;
  }

  /** The client's configuration with the signal and deadline added, for the `options` argument of patch/read/list. */
  configurationWith(
    signal?: AbortSignal,
    timeoutMs?: number,
  ): Configuration | undefined {
    if (!signal && !timeoutMs) return undefined;
    return {
      ...this.configuration,
      middleware: [
        ...this.configuration.middleware,
        signalMiddleware(signal, timeoutMs),
      ],
    };
  }
}

/**
 * The promise's outcome, or the signal's reason when the signal fires first:
 * a caller stops waiting for work others share (a cached cluster list, a
 * profile detection) without cancelling it. @public
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
