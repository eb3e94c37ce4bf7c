import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { EntityGatewaysResponse } from '@gateway-portal/plugin-aws-gateway-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import useInterval from 'react-use/esm/useInterval';
import { awsGatewayApiRef } from '../api';

/** How often the card re-reads the status while a load balancer is being provisioned. */
export const PROVISIONING_POLL_INTERVAL_MS = 15_000;

/** @public */
export interface EntityGatewaysState {
  /** The last successful answer; kept while a refresh is running or after it failed. */
  value?: EntityGatewaysResponse;
  loading: boolean;
  /** The last request's error; `value` may still hold an older answer. */
  error?: Error;
  /** Re-reads the status, bypassing the backend's cache. */
  refresh: () => void;
}

/** @public */
export interface UseEntityGatewaysOptions {
  /** Polling interval while any gateway is provisioning; 0 turns polling off. */
  pollIntervalMs?: number;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Loads the gateway status of the entity in context. While a gateway is
 * provisioning it polls, so the card turns to Programmed without a reload.
 *
 * @public
 */
export function useEntityGateways(
  options: UseEntityGatewaysOptions = {},
): EntityGatewaysState {
  const pollIntervalMs =
    options.pollIntervalMs ?? PROVISIONING_POLL_INTERVAL_MS;
  const api = useApi(awsGatewayApiRef);
  const { entity } = useEntity();
  const kind = entity.kind;
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = entity.metadata.name;

  const [state, setState] = useState<Omit<EntityGatewaysState, 'refresh'>>({
    loading: true,
  });
  // Only the newest request may write state: an older answer arriving late
  // (slow poll, entity switched) must not overwrite a newer one.
  const latestRequest = useRef(0);
  const inFlight = useRef(false);

  const load = useCallback(
    async (refresh: boolean) => {
      const requestId = ++latestRequest.current;
      inFlight.current = true;
      setState(previous => ({ ...previous, loading: true }));
      try {
        const value = await api.getEntityGateways(
          { kind, namespace, name },
          { refresh },
        );
        if (requestId === latestRequest.current) {
          setState({ value, loading: false });
        }
      } catch (error) {
        if (requestId === latestRequest.current) {
          setState(previous => ({
            value: previous.value,
            error: toError(error),
            loading: false,
          }));
        }
      } finally {
        if (requestId === latestRequest.current) {
          inFlight.current = false;
        }
      }
    },
    [api, kind, namespace, name],
  );

  useEffect(() => {
    const requests = latestRequest;
    setState({ loading: true });
    load(false);
    return () => {
      // Invalidates the request in flight for the previous entity.
      requests.current++;
      inFlight.current = false;
    };
  }, [load]);

  const provisioning =
    state.value?.gateways.some(gateway => gateway.state === 'provisioning') ??
    false;

  // Polls go through the backend cache; skip them while the tab is hidden or
  // a request (such as a user's refresh) is still running.
  useInterval(
    () => {
      if (!inFlight.current && document.visibilityState !== 'hidden') {
        load(false);
      }
    },
    provisioning && pollIntervalMs > 0 ? pollIntervalMs : null,
  );

  const refresh = useCallback(() => {
    load(true);
  }, [load]);

  return { ...state, refresh };
}
