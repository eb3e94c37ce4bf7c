import { GitOpsFile } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import {
  clusterlessSharedGatewayDeps,
  repositoryOfFiles,
  sharedGatewayWithListener,
} from '../support/__testUtils__/sharedGatewayRepository';
import { testActionContext } from '../support/__testUtils__/testContext';
import { createRemoveSharedListenerAction } from './removeSharedListener';
import { examples } from './removeSharedListener.examples';

/** The example's input; its happy path runs against the peers (shared-gateways.test.ts). */
const EXAMPLE = yaml.parse(examples[0].example).steps[0].input;

function action(files: GitOpsFile[]) {
  const { repository } = repositoryOfFiles(files);
  return {
    repository,
    action: createRemoveSharedListenerAction(
      clusterlessSharedGatewayDeps(repository),
    ),
  };
}

const outputs = (ctx: ReturnType<typeof testActionContext>) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

const run = (files: GitOpsFile[], input: Record<string, unknown> = {}) =>
  action(files).action.handler(
    testActionContext({ mode: 'commit', ...EXAMPLE, ...input }),
  );

describe('aws-gateway:endpoint:remove-shared-listener', () => {
  it('says a listener already removed has nothing to remove, and writes nothing', async () => {
    const [gateway] = sharedGatewayWithListener();
    const { action: remove, repository } = action([gateway]);
    const ctx = testActionContext({ mode: 'commit', ...EXAMPLE });
    await remove.handler(ctx);
    expect(outputs(ctx)).toMatchObject({
      changed: false,
      files: [],
      deleted: [],
      gatewayRef: 'prod/platform-gateways/shared-nlb',
      routeRef: 'team-a/orders',
    });
    expect(repository.commitFiles).not.toHaveBeenCalled();
  });

  it('refuses a route without the portal mark (a route the portal did not write)', async () => {
    const [gateway, route] = sharedGatewayWithListener();
    const foreign = yaml.parse(route.content);
    delete foreign.metadata.labels['app.kubernetes.io/managed-by'];
    await expect(
      run([gateway, { ...route, content: yaml.stringify(foreign) }]),
    ).rejects.toThrow(
      /shared-gateway-routes\/team-a\/orders on main: files: "tcproute-orders.yaml" has no app.kubernetes.io\/managed-by: backstage-aws-gateway label.*\[endpoint-not-ours\]/,
    );
  });

  it('refuses a route edited by hand', async () => {
    const [gateway, route] = sharedGatewayWithListener();
    await expect(
      run([
        gateway,
        {
          ...route,
          content: route.content.replace(
            'rules:',
            'rules:\n    - backendRefs: [{ name: debug, port: 22 }]',
          ),
        },
      ]),
    ).rejects.toThrow(
      /"tcproute-orders.yaml" is not what aws-gateway:endpoint:shared-listener wrote for route team-a\/orders \(edited by hand.*\[endpoint-hand-edited\]/,
    );
  });

  it('refuses a route of another shared Gateway in the folder', async () => {
    const [gateway, route] = sharedGatewayWithListener();
    await expect(
      run([
        gateway,
        {
          ...route,
          content: route.content.replace('name: shared-nlb', 'name: other-nlb'),
        },
      ]),
    ).rejects.toThrow(
      /is not the one route team-a\/orders to a listener of shared Gateway prod\/platform-gateways\/shared-nlb .*\[endpoint-not-ours\]/,
    );
  });

  it("refuses another component's listener", async () => {
    await expect(
      run(sharedGatewayWithListener(), {
        entityRef: 'component:default/payments',
      }),
    ).rejects.toThrow(
      /route team-a\/orders on shared Gateway .* belongs to component:default\/orders, not to component:default\/payments \[endpoint-entity-mismatch\]/,
    );
  });

  it('refuses a shared Gateway that is not configured, before any read', async () => {
    const { action: remove, repository } = action([]);
    await expect(
      remove.handler(
        testActionContext({
          ...EXAMPLE,
          sharedGateway: 'prod/kube-system/internal-nlb',
        }),
      ),
    ).rejects.toThrow(/\[shared-gateway-not-configured\]/);
    expect(repository.readFiles).not.toHaveBeenCalled();
  });
});
