import {
  Configuration,
  KubeConfig,
  KubernetesObjectApi,
  Observable,
  ObservableMiddleware,
  RequestContext,
} from '@kubernetes/client-node';

/**
 * Ties Kubernetes requests to a caller's AbortSignal (a cancelled scaffolder
 * step), keeping any signal the client already sets (its own timeout).
 */
function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      const own = context.getSignal();
      context.setSignal(own ? AbortSignal.any([own, signal]) : signal);
      return new Observable(Promise.resolve(context));
    },
    post: context => new Observable(Promise.resolve(context)),
  };
}

/** Per-call options for the generated Kubernetes APIs (`api.readX(param, options)`). @public */
export function abortableCall(signal?: AbortSignal) {
  return signal
    ? { middleware: [signalMiddleware(signal)], middlewareMergeStrategy: 'append' as const }
    : undefined;
}

/** KubernetesObjectApi whose calls can take a caller's AbortSignal. @public */
export class AbortableObjectApi extends KubernetesObjectApi {
  /** Like KubernetesObjectApi.makeApiClient (which always builds the base class). */
  static forKubeConfig(kubeConfig: KubeConfig): AbortableObjectApi {
    const client = kubeConfig.makeApiClient(AbortableObjectApi);
    client.setDefaultNamespace(kubeConfig);
    return client;
  }

  /** The client's configuration with the signal added, for the `options` argument of patch/read/list. */
  configurationWith(signal?: AbortSignal): Configuration | undefined {
    if (!signal) return undefined;
    return { ...this.configuration, middleware: [...this.configuration.middleware, signalMiddleware(signal)] };
  }
}
