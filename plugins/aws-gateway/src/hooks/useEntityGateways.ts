import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  EntityGatewaysResponse,
  GatewayState,
  GatewayStatusChangedSignal,
  gatewayStatusSignalChannel,
} from '@gateway-portal/plugin-aws-gateway-common';
import { useCallback, useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useInterval from 'react-use/esm/useInterval';
import { useKubernetesUserTokens } from './useKubernetesUserTokens';
import { awsGatewayApiRef } from '../api';

/** How often the card re-reads the status while a load balancer is being provisioned or removed. */
export const PROVISIONING_POLL_INTERVAL_MS = 15_000;

/** States the controller is still working on: the card polls while one shows. */
const CHANGING_STATES: ReadonlySet<GatewayState> = new Set<GatewayState>([
  'provisioning',
  'removing',
]);

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

/** An answer, with the entity it is about. */
interface Answer {
  entityRef: string;
  response: EntityGatewaysResponse;
}

/**
 * Loads the gateway status of the entity in context. When the backend
 * signals that the entity's Gateways changed (Backstage signals, where the
 * app has them) it reads again at once; while a gateway is provisioning or
 * being removed it also polls, the fallback without signals.
 *
 * react-use's `useAsyncFn` keeps only the newest call's answer and none after
 * unmount; `useInterval` polls. What is ours: an answer survives a failed
 * re-read, and never shows for another entity.
 *
 * @public
 */
export function useEntityGateways(
  options: UseEntityGatewaysOptions = {},
): EntityGatewaysState {
  const pollIntervalMs =
    options.pollIntervalMs ?? PROVISIONING_POLL_INTERVAL_MS;
  const api = useApi(awsGatewayApiRef);
  const kubernetesTokens = useKubernetesUserTokens();
  const { entity } = useEntity();
  const kind = entity.kind;
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = entity.metadata.name;
  const entityRef = `${kind}:${namespace}/${name}`;

  const [request, load] = useAsyncFn(
    async (refresh: boolean): Promise<Answer> => ({
      entityRef: `${kind}:${namespace}/${name}`,
      response: await api.getEntityGateways(
        { kind, namespace, name },
        { refresh, kubernetesTokens },
      ),
    }),
    [api, kubernetesTokens, kind, namespace, name],
    { loading: true },
  );

  useEffect(() => {
    load(false);
  }, [load]);

  // A signal says only "changed": the new status comes through the API.
  const { lastSignal } = useSignal<GatewayStatusChangedSignal>(
    gatewayStatusSignalChannel(entityRef),
  );
  useEffect(() => {
    if (lastSignal) load(false);
  }, [lastSignal, load]);

  // useAsyncFn forgets the value when a call fails; the card keeps showing it.
  const [lastAnswer, setLastAnswer] = useState<Answer>();
  useEffect(() => {
    if (request.value) setLastAnswer(request.value);
  }, [request.value]);
  const answer = request.value ?? lastAnswer;
  const value = answer?.entityRef === entityRef ? answer.response : undefined;

  const changing =
    value?.gateways.some(gateway => CHANGING_STATES.has(gateway.state)) ??
    false;

  // Polls go through the backend cache; skip them while the tab is hidden or
  // a request (such as a user's refresh) is still running.
  useInterval(
    () => {
      if (!request.loading && document.visibilityState !== 'hidden') {
        load(false);
      }
    },
    changing && pollIntervalMs > 0 ? pollIntervalMs : null,
  );

  const refresh = useCallback(() => {
    load(true);
  }, [load]);

  return {
    value,
    loading: request.loading,
    error: request.error,
    refresh,
  };
}
