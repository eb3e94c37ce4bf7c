import { GitOpsFile } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import {
  clusterlessSharedGatewayDeps,
  ORDERS,
  repositoryOfFiles,
  sharedGatewayWithListener,
} from '../support/__testUtils__/sharedGatewayRepository';
import { testActionContext } from '../support/__testUtils__/testContext';
import { createChangeSharedListenerAction } from './changeSharedListener';
import { examples } from './changeSharedListener.examples';

/** The examples' inputs; they run against the peers (shared-gateways.test.ts). */
const EXAMPLES = examples.map(e => yaml.parse(e.example).steps[0].input);

function action(files: GitOpsFile[]) {
  const { repository } = repositoryOfFiles(files);
  return createChangeSharedListenerAction(
    clusterlessSharedGatewayDeps(repository),
  );
}

const run = (files: GitOpsFile[], change: Record<string, unknown>) =>
  action(files).handler(
    testActionContext({ mode: 'commit', ...EXAMPLES[0], change }),
  );

describe('aws-gateway:endpoint:change-shared-listener', () => {
  it('has examples for the listener of the shared-listener examples', () => {
    expect(
      EXAMPLES.map(i => `${i.sharedGateway} ${i.namespace}/${i.routeName}`),
    ).toEqual([
      `${ORDERS.sharedGateway} team-a/orders`,
      `${ORDERS.sharedGateway} team-a/orders`,
      `${ORDERS.sharedGateway} team-a/db`,
    ]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'the source CIDRs (the shared Gateway has the platform team’s)',
      { sourceCidrs: ['203.0.113.0/24'] },
      /change.sourceCidrs: a listener on shared Gateway prod\/platform-gateways\/shared-nlb has the shared Gateway's scheme and source CIDRs.*\[shared-gateway-setting\]/,
    ],
    [
      'the scheme',
      { scheme: 'internet-facing' },
      /change.scheme: .*\[shared-gateway-setting\]/,
    ],
    [
      'two backends',
      {
        routes: [
          {
            backends: [
              { service: 'a', port: 1 },
              { service: 'b', port: 2 },
            ],
          },
        ],
      },
      /change.routes\[0\].backends: a listener on a shared Gateway sends to one Service \(got 2\) \[shared-one-backend\]/,
    ],
    [
      'a listener that is not the route’s',
      { listeners: [{ name: 'platform-dns', port: 20002 }] },
      /change.listeners\[0\].name: "platform-dns" is not a listener of the Gateway \(team-a-orders\)/,
    ],
  ])(
    'refuses a change of %s before the cluster is asked',
    async (_what, change, message) => {
      await expect(run(sharedGatewayWithListener(), change)).rejects.toThrow(
        message,
      );
    },
  );

  it('refuses a listener that was never added', async () => {
    const [gateway] = sharedGatewayWithListener();
    await expect(
      run([gateway], { listeners: [{ port: 20002 }] }),
    ).rejects.toThrow(
      /route team-a\/orders on shared Gateway .*: shared-gateway-routes\/team-a\/orders on main of https:\/\/git.example.com\/platform\/gitops.git holds none of the portal's files/,
    );
  });
});
