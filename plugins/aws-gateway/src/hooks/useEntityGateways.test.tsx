import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider } from '@backstage/test-utils';
import { gatewayStatusSignalChannel } from '@gateway-portal/plugin-aws-gateway-common';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { AwsGatewayApi, awsGatewayApiRef } from '../api';
import {
  entity,
  gatewaysResponse,
  programmedGateway,
  provisioningGateway,
} from '../testing/fixtures';
import { useEntityGateways } from './useEntityGateways';

const entityRef = { kind: 'Component', namespace: 'default', name: 'payments' };

function setup(api: AwsGatewayApi, pollIntervalMs?: number) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[awsGatewayApiRef, api]]}>
      <EntityProvider entity={entity}>{children}</EntityProvider>
    </TestApiProvider>
  );
  return renderHook(() => useEntityGateways({ pollIntervalMs }), { wrapper });
}

describe('useEntityGateways', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('loads through the cache, and refresh bypasses it', async () => {
    const answer = gatewaysResponse();
    const api = { getEntityGateways: jest.fn().mockResolvedValue(answer) };
    const { result } = setup(api);

    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.value).toBe(answer));
    expect(result.current.loading).toBe(false);
    expect(api.getEntityGateways).toHaveBeenCalledWith(entityRef, {
      refresh: false,
    });

    act(() => result.current.refresh());
    await waitFor(() => expect(api.getEntityGateways).toHaveBeenCalledTimes(2));
    expect(api.getEntityGateways).toHaveBeenLastCalledWith(entityRef, {
      refresh: true,
    });
  });

  it('polls while a gateway is provisioning and stops once it is programmed', async () => {
    jest.useFakeTimers();
    const api = {
      getEntityGateways: jest
        .fn()
        .mockResolvedValueOnce(
          gatewaysResponse({ gateways: [provisioningGateway()] }),
        )
        .mockResolvedValueOnce(
          gatewaysResponse({ gateways: [provisioningGateway()] }),
        )
        .mockResolvedValue(
          gatewaysResponse({ gateways: [programmedGateway()] }),
        ),
    };
    const { result } = setup(api, 15_000);

    await waitFor(() =>
      expect(result.current.value?.gateways[0].state).toBe('provisioning'),
    );
    expect(api.getEntityGateways).toHaveBeenCalledTimes(1);

    await act(async () => {
      await jest.advanceTimersByTimeAsync(15_000);
    });
    expect(api.getEntityGateways).toHaveBeenCalledTimes(2);
    expect(api.getEntityGateways).toHaveBeenLastCalledWith(entityRef, {
      refresh: false,
    });

    await act(async () => {
      await jest.advanceTimersByTimeAsync(15_000);
    });
    expect(api.getEntityGateways).toHaveBeenCalledTimes(3);
    expect(result.current.value?.gateways[0].state).toBe('programmed');

    await act(async () => {
      await jest.advanceTimersByTimeAsync(60_000);
    });
    expect(api.getEntityGateways).toHaveBeenCalledTimes(3);
  });

  it('polls while a gateway is being removed', async () => {
    jest.useFakeTimers();
    const removing = gatewaysResponse({
      gateways: [{ ...programmedGateway(), state: 'removing' }],
    });
    const api = {
      getEntityGateways: jest
        .fn()
        .mockResolvedValueOnce(removing)
        .mockResolvedValue(gatewaysResponse({ gateways: [] })),
    };
    const { result } = setup(api, 15_000);

    await waitFor(() =>
      expect(result.current.value?.gateways[0].state).toBe('removing'),
    );
    await act(async () => {
      await jest.advanceTimersByTimeAsync(15_000);
    });
    expect(api.getEntityGateways).toHaveBeenCalledTimes(2);
    expect(result.current.value?.gateways).toEqual([]);
  });

  it('does not poll when every gateway has settled', async () => {
    jest.useFakeTimers();
    const api = {
      getEntityGateways: jest.fn().mockResolvedValue(gatewaysResponse()),
    };
    const { result } = setup(api, 15_000);

    await waitFor(() => expect(result.current.value).toBeDefined());
    await act(async () => {
      await jest.advanceTimersByTimeAsync(60_000);
    });
    expect(api.getEntityGateways).toHaveBeenCalledTimes(1);
  });

  it('keeps the last answer next to the error when a refresh fails', async () => {
    const answer = gatewaysResponse();
    const api = {
      getEntityGateways: jest
        .fn()
        .mockResolvedValueOnce(answer)
        .mockRejectedValueOnce(new Error('socket hang up')),
    };
    const { result } = setup(api);
    await waitFor(() => expect(result.current.value).toBe(answer));

    act(() => result.current.refresh());

    await waitFor(() =>
      expect(result.current.error?.message).toBe('socket hang up'),
    );
    expect(result.current.value).toBe(answer);
    expect(result.current.loading).toBe(false);
  });

  it('ignores an answer that arrives after a newer request was made', async () => {
    let resolveFirst: (value: unknown) => void = () => {};
    const stale = gatewaysResponse({ fetchedAt: '2026-01-01T00:00:00.000Z' });
    const fresh = gatewaysResponse({ fetchedAt: '2026-01-01T00:05:00.000Z' });
    const api = {
      getEntityGateways: jest
        .fn()
        .mockReturnValueOnce(new Promise(resolve => (resolveFirst = resolve)))
        .mockResolvedValueOnce(fresh),
    };
    const { result } = setup(api);

    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.value).toBe(fresh));

    await act(async () => resolveFirst(stale));
    expect(result.current.value).toBe(fresh);
  });

  it("never shows one entity's gateways for another while the other's load", async () => {
    const first = gatewaysResponse();
    let current = entity;
    const api = {
      getEntityGateways: jest
        .fn()
        .mockResolvedValueOnce(first)
        .mockReturnValueOnce(new Promise(() => {})),
    };
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[awsGatewayApiRef, api]]}>
        <EntityProvider entity={current}>{children}</EntityProvider>
      </TestApiProvider>
    );
    const { result, rerender } = renderHook(() => useEntityGateways(), {
      wrapper,
    });
    await waitFor(() => expect(result.current.value).toBe(first));

    current = {
      ...entity,
      metadata: { ...entity.metadata, name: 'billing' },
    };
    rerender();

    await waitFor(() =>
      expect(api.getEntityGateways).toHaveBeenLastCalledWith(
        { kind: 'Component', namespace: 'default', name: 'billing' },
        { refresh: false },
      ),
    );
    expect(result.current.value).toBeUndefined();
    expect(result.current.loading).toBe(true);
  });

  it("reads again at once when the entity's status-changed signal arrives, and only then", async () => {
    type OnMessage = (message: { type: string }) => void;
    const subscribers = new Map<string, OnMessage[]>();
    const signals: SignalApi = {
      subscribe: (channel, onMessage) => {
        const list = subscribers.get(channel) ?? [];
        list.push(onMessage as unknown as OnMessage);
        subscribers.set(channel, list);
        return { unsubscribe: () => {} };
      },
    };
    const emit = (channel: string) =>
      act(() =>
        subscribers
          .get(channel)
          ?.forEach(fn => fn({ type: 'gateway-status-changed' })),
      );
    const api = {
      getEntityGateways: jest
        .fn()
        .mockResolvedValueOnce(
          gatewaysResponse({ gateways: [provisioningGateway()] }),
        )
        .mockResolvedValue(
          gatewaysResponse({ gateways: [programmedGateway()] }),
        ),
    };
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider
        apis={[
          [awsGatewayApiRef, api],
          [signalApiRef, signals],
        ]}
      >
        <EntityProvider entity={entity}>{children}</EntityProvider>
      </TestApiProvider>
    );
    // Polling off: only the signal can bring the change.
    const { result } = renderHook(
      () => useEntityGateways({ pollIntervalMs: 0 }),
      { wrapper },
    );
    await waitFor(() =>
      expect(result.current.value?.gateways[0].state).toBe('provisioning'),
    );

    emit(gatewayStatusSignalChannel('component:default/billing'));
    expect(api.getEntityGateways).toHaveBeenCalledTimes(1);

    emit(gatewayStatusSignalChannel('component:default/payments'));
    await waitFor(() =>
      expect(result.current.value?.gateways[0].state).toBe('programmed'),
    );
    expect(api.getEntityGateways).toHaveBeenCalledTimes(2);
    expect(api.getEntityGateways).toHaveBeenLastCalledWith(entityRef, {
      refresh: false,
    });
  });
});
