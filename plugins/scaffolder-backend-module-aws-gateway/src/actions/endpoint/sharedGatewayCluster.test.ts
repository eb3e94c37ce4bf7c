import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'yaml';
import {
  ORDERS,
  SHARED_GATEWAY,
  sharedGatewayWithListener,
} from '../support/__testUtils__/sharedGatewayRepository';
import { testActionContext } from '../support/__testUtils__/testContext';
import { dryRunSharedGatewayEdit } from './sharedGatewayCluster';

/**
 * An in-process API server that answers every TargetGroupConfiguration list
 * with `live` and records each request: the refusals below come from the
 * committed and proposed ones, before any dry run is asked.
 */
async function apiServer(live: unknown[] = []) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url?.split('?')[0]}`);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        req.method === 'GET' && req.url?.includes('/targetgroupconfigurations')
          ? { items: live }
          : { kind: 'Status', code: 500 },
      ),
    );
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        // Plain HTTP on loopback: the client refuses it without this.
        skipTLSVerify: true,
      },
    ],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return {
    kubeConfig,
    requests,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

// team-a's TLS listener `orders`: its route folder holds a TargetGroupConfiguration for Service orders.
const TLS_FILES = sharedGatewayWithListener({
  ...ORDERS,
  protocol: 'TLS',
  hostname: 'orders.apps.example.com',
});
const [GATEWAY_FILE, ...ROUTE_FILES] = TLS_FILES;
const MANIFESTS = ROUTE_FILES.map(f => yaml.parse(f.content));

/** The edit of team-a's TLS listener dry-run against `api`, with these committed and proposed ones. */
const dryRun = (
  api: { kubeConfig: KubeConfig },
  committed: Parameters<typeof dryRunSharedGatewayEdit>[4]['committed'],
) =>
  dryRunSharedGatewayEdit(
    testActionContext({}),
    api.kubeConfig,
    SHARED_GATEWAY,
    { gatewayYaml: GATEWAY_FILE.content, manifests: MANIFESTS },
    { what: 'change', committed },
  );

/** Another TargetGroupConfiguration for team-a's Service orders. */
const OTHER = {
  apiVersion: 'gateway.k8s.aws/v1beta1',
  kind: 'TargetGroupConfiguration',
  metadata: { name: 'orders-tcp', namespace: 'team-a' },
  spec: {
    targetReference: { name: 'orders' },
    defaultConfiguration: { targetType: 'ip' },
  },
};

describe('dryRunSharedGatewayEdit: one TargetGroupConfiguration per Service', () => {
  it.each([
    [
      'committed on the base branch but not applied',
      {
        base: {
          found: [
            {
              item: OTHER,
              where:
                'committed in gateways/team-a/orders/targetgroupconfiguration-orders-tcp.yaml on main',
            },
          ],
          complete: true,
        },
        reviews: [],
      },
      /serviceName: Service team-a\/orders already has TargetGroupConfiguration orders-tcp \(committed in gateways\/team-a\/orders\/targetgroupconfiguration-orders-tcp\.yaml on main\).*\[shared-target-group-configuration-taken\]/,
    ],
    [
      'proposed in another open review pull request',
      {
        reviews: [
          {
            item: OTHER,
            where:
              'proposed in shared-gateway-routes/team-b/x/targetgroupconfiguration-orders-tcp.yaml by pull request https://git.example.com/platform/gitops/pulls/12',
          },
        ],
      },
      /serviceName: Service team-a\/orders already has TargetGroupConfiguration orders-tcp \(proposed in .* by pull request https:\/\/git\.example\.com\/platform\/gitops\/pulls\/12\).*\[shared-target-group-configuration-taken\]/,
    ],
  ])(
    'refuses one %s, reading only, before the dry run',
    async (_what, committed, message) => {
      const api = await apiServer();
      try {
        await expect(dryRun(api, committed)).rejects.toThrow(message);
        expect(api.requests).toEqual([
          'GET /apis/gateway.k8s.aws/v1/namespaces/team-a/targetgroupconfigurations',
        ]);
      } finally {
        await api.close();
      }
    },
  );

  it('lets its own committed one be (an earlier run) and goes on to the dry run', async () => {
    const api = await apiServer();
    const ours = MANIFESTS.find(m => m.kind === 'TargetGroupConfiguration');
    try {
      await expect(
        dryRun(api, {
          base: {
            found: [{ item: ours, where: 'committed on main' }],
            complete: true,
          },
          reviews: [],
        }),
      ).rejects.toThrow(/server-side dry run|rejected|500/i);
      // Past the check: the Gateway is read for its resource version (the dry run's first call).
      expect(api.requests).toContain(
        'GET /apis/gateway.networking.k8s.io/v1/namespaces/platform-gateways/gateways/shared-nlb',
      );
    } finally {
      await api.close();
    }
  });

  it('says in its output, not only in the log, what the check could not see and which bound each read met (only when a TargetGroupConfiguration is written)', async () => {
    const api = await apiServer();
    const ctx = testActionContext({});
    const warn = jest.spyOn(ctx.logger, 'warn');
    const complete = testActionContext({});
    const tcp = testActionContext({});
    const base =
      'not every file below gateways/ and shared-gateway-routes/ on main was read for TargetGroupConfigurations (it stopped at the bound of 1024 files): one for the Service there may be missed';
    const review =
      'not every file below gateways/ and shared-gateway-routes/ in pull request #12 was read for TargetGroupConfigurations (files over the bound of 256 KiB each were left out): one for the Service there may be missed';
    try {
      await expect(
        dryRunSharedGatewayEdit(
          ctx,
          api.kubeConfig,
          SHARED_GATEWAY,
          { gatewayYaml: GATEWAY_FILE.content, manifests: MANIFESTS },
          {
            what: 'change',
            committed: {
              base: { found: [], complete: false, note: base },
              reviews: [],
              reviewsNote: review,
            },
          },
        ),
      ).rejects.toThrow(/server-side dry run|rejected|500/i);
      const said = `The TargetGroupConfiguration check could not see every file: ${base}; ${review}`;
      expect(ctx.output).toHaveBeenCalledWith(
        'targetGroupConfigurationCheck',
        said,
      );
      expect(warn).toHaveBeenCalledWith(said);
      // Nothing to say when every file was read, or when no TargetGroupConfiguration is written.
      await expect(
        dryRunSharedGatewayEdit(
          complete,
          api.kubeConfig,
          SHARED_GATEWAY,
          { gatewayYaml: GATEWAY_FILE.content, manifests: MANIFESTS },
          {
            what: 'change',
            committed: { base: { found: [], complete: true }, reviews: [] },
          },
        ),
      ).rejects.toThrow();
      await expect(
        dryRunSharedGatewayEdit(
          tcp,
          api.kubeConfig,
          SHARED_GATEWAY,
          {
            gatewayYaml: GATEWAY_FILE.content,
            manifests: MANIFESTS.filter(
              m => m.kind !== 'TargetGroupConfiguration',
            ),
          },
          {
            what: 'change',
            committed: {
              base: { found: [], complete: false, note: 'bound met' },
              reviews: [],
            },
          },
        ),
      ).rejects.toThrow();
      for (const quiet of [complete, tcp]) {
        expect(quiet.output).not.toHaveBeenCalledWith(
          'targetGroupConfigurationCheck',
          expect.anything(),
        );
      }
    } finally {
      await api.close();
    }
  });
});
