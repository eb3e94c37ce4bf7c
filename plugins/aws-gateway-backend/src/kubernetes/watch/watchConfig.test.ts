import { ConfigReader } from '@backstage/config';
import { readWatchConfig } from './watchConfig';

const withWatch = (watch: object) =>
  new ConfigReader({ awsGateway: { status: { watch } } });

describe('readWatchConfig', () => {
  it('reads retryMaxSeconds as the longest restart delay, the first never longer', () => {
    expect(readWatchConfig(withWatch({}))?.backoffMs).toEqual({
      initial: 1_000,
      max: 60_000,
    });
    expect(
      readWatchConfig(withWatch({ retryMaxSeconds: 2 }))?.backoffMs,
    ).toEqual({ initial: 1_000, max: 2_000 });
    expect(
      readWatchConfig(withWatch({ retryMaxSeconds: 0.5 }))?.backoffMs,
    ).toEqual({ initial: 500, max: 500 });
  });

  it('refuses a retryMaxSeconds that is not positive, naming the key', () => {
    expect(() => readWatchConfig(withWatch({ retryMaxSeconds: 0 }))).toThrow(
      'awsGateway.status.watch.retryMaxSeconds must be a positive number, got 0',
    );
  });

  it('is undefined when the watch cache is disabled', () => {
    expect(readWatchConfig(withWatch({ enabled: false }))).toBeUndefined();
  });
});
