import { KubeConfig } from '@kubernetes/client-node';
import { ServiceUnavailableError } from '@backstage/errors';
import { eventually } from '../testUtils/eventually';
import { startStalledServer, StalledServer } from '../testUtils';
import { detectControllerProfile } from './controllerProfileDetection';
import { readServices, serverSideDryRun } from './serverSideDryRun';

/** A stalled API server: every call of the provisioning actions ends on its deadline, sockets closed. */
describe('Kubernetes call deadlines of the provisioning actions', () => {
  let server: StalledServer;
  let kubeConfig: KubeConfig;
  const timeoutMs = 300;

  beforeEach(async () => {
    server = await startStalledServer();
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'stalled', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'secret-token' }],
      contexts: [{ name: 'c', cluster: 'stalled', user: 'u' }],
      currentContext: 'c',
    });
  });

  afterEach(() => server.close());

  async function timed(
    call: () => Promise<unknown>,
  ): Promise<{ error: unknown; ms: number }> {
    const start = Date.now();
    const error = await call().then(
      () => undefined,
      e => e,
    );
    return { error, ms: Date.now() - start };
  }

  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'web', namespace: 'apps' },
    spec: { gatewayClassName: 'aws-nlb', listeners: [] },
  };

  it.each([
    [
      'profile detection',
      () => detectControllerProfile(kubeConfig, undefined, timeoutMs),
      /API discovery/,
    ],
    [
      'a Service read',
      () => readServices(kubeConfig, 'apps', ['backend'], undefined, timeoutMs),
      /Service apps\/backend/,
    ],
    [
      'a server-side dry run',
      () => serverSideDryRun(kubeConfig, [gateway], undefined, timeoutMs),
      /dry run of Gateway/,
    ],
  ])(
    '%s fails within its deadline with a clear error and closes its socket',
    async (_name, call, what) => {
      const { error, ms } = await timed(call);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as Error).message).toMatch(what);
      expect((error as Error).message).toMatch(/did not answer within 0.3 s/);
      expect((error as Error).message).not.toContain(server.url);
      expect(ms).toBeLessThan(timeoutMs + 1_500);
      // The server may see the connection after the client gave up on it (a
      // stalled machine): awaited, not assumed.
      await eventually(() => {
        expect(server.accepted()).toBeGreaterThan(0);
        expect(server.open()).toBe(0);
      });
    },
  );

  it('a cancelled step ends at once with its own cancellation, not a deadline error', async () => {
    const controller = new AbortController();
    const pending = timed(() =>
      readServices(kubeConfig, 'apps', ['backend'], controller.signal, 10_000),
    );
    setTimeout(() => controller.abort(), 100);
    const { error, ms } = await pending;
    expect(error).not.toBeInstanceOf(ServiceUnavailableError);
    expect(ms).toBeLessThan(2_000);
  });
});
