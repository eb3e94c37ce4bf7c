import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfigReader } from '@backstage/config';
import { startStalledServer, StalledServer } from '../testUtils';
import { DefaultAwsClientFactory } from './AwsClientFactory';

const config = new ConfigReader({
  aws: {
    mainAccount: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  },
});

/** One ELBv2 call against a stalled endpoint; how long it took and how it ended. */
async function callStalled(
  server: StalledServer,
  factory: DefaultAwsClientFactory,
  abortSignal?: AbortSignal,
) {
  process.env.AWS_ENDPOINT_URL = server.url;
  const client = await factory.elbv2({ region: 'us-west-2' });
  try {
    const started = Date.now();
    const error = await client
      .send(new DescribeLoadBalancersCommand({}), { abortSignal })
      .catch(e => e);
    const elapsedMs = Date.now() - started;
    await new Promise(r => setTimeout(r, 100));
    return { error, elapsedMs, open: server.open() };
  } finally {
    client.destroy();
  }
}

describe('DefaultAwsClientFactory', () => {
  const saved = process.env.AWS_ENDPOINT_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });

  it('ends a call to a stalled endpoint at the request timeout, with bounded attempts, and closes its sockets', async () => {
    const server = await startStalledServer();
    try {
      const factory = DefaultAwsClientFactory.fromConfig(config, {
        requestTimeoutMs: 300,
        maxAttempts: 2,
      });
      const { error, elapsedMs, open } = await callStalled(server, factory);
      expect(error.name).toMatch(/Timeout/);
      // Two attempts of 300 ms plus the SDK's backoff between them.
      expect(elapsedMs).toBeLessThan(3_000);
      expect(server.accepted()).toBe(2);
      expect(open).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('ends a call at once when its abortSignal fires', async () => {
    const server = await startStalledServer();
    try {
      const factory = DefaultAwsClientFactory.fromConfig(config);
      const { error, elapsedMs, open } = await callStalled(
        server,
        factory,
        AbortSignal.timeout(200),
      );
      expect(error.name).toBe('AbortError');
      expect(elapsedMs).toBeLessThan(2_000);
      expect(open).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses targets that are not an account id and a region, before any lookup', async () => {
    const factory = DefaultAwsClientFactory.fromConfig(config);
    await expect(
      factory.elbv2({ region: 'evil.example.com/' }),
    ).rejects.toThrow(/not a region name/);
    await expect(
      factory.elbv2({ region: 'us-west-2', accountId: '12' }),
    ).rejects.toThrow(/not a 12-digit account id/);
    expect(factory.size).toBe(0);
  });

  it('keeps a bounded number of clients, least recently used dropped first', async () => {
    const factory = DefaultAwsClientFactory.fromConfig(config, {
      maxClients: 2,
    });
    const a = await factory.elbv2({ region: 'us-west-2' });
    await factory.elbv2({ region: 'eu-west-1' });
    // a is used again, so eu-west-1 is the least recently used.
    expect(await factory.elbv2({ region: 'us-west-2' })).toBe(a);
    await factory.elbv2({ region: 'eu-central-1' });
    expect(factory.size).toBe(2);
    expect(await factory.elbv2({ region: 'us-west-2' })).toBe(a);
  });
});
