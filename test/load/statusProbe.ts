/**
 * One status request as a viewer makes it, timed, with a hard limit so that a
 * hang is counted instead of hanging the caller.
 */
import type { PortalClient } from '../integration/support/scaffolderClient';
import { STATUS_PATH } from './productionRig';

export interface StatusSample {
  ms: number;
  /** HTTP status; 0 when the request did not end within the limit. */
  status: number;
  body: any;
  hung: boolean;
}

export async function probeStatus(
  client: PortalClient,
  options: { refresh?: boolean; limitMs?: number } = {},
): Promise<StatusSample> {
  const t0 = Date.now();
  const limitMs = options.limitMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<undefined>(resolve => {
    timer = setTimeout(() => resolve(undefined), limitMs);
  });
  const request = client.request(
    'GET',
    `${STATUS_PATH}${options.refresh ? '?refresh=true' : ''}`,
  );
  request.catch(() => undefined);
  try {
    const res = await Promise.race([request, limit]);
    const ms = Date.now() - t0;
    if (!res) return { ms, status: 0, body: undefined, hung: true };
    return { ms, status: res.status, body: res.body, hung: false };
  } catch (e) {
    return { ms: Date.now() - t0, status: 0, body: String(e), hung: false };
  } finally {
    clearTimeout(timer);
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
