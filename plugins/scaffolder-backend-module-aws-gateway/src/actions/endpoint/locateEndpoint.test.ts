import { ConfigReader } from '@backstage/config';
import {
  GitOpsFile,
  readSharedGateways,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { committedClassicEndpoint } from '../support/__testUtils__/committedEndpoint';
import { gitopsTestSettings } from '../support/__testUtils__/gitopsTestSettings';
import {
  ORDERS,
  repositoryOfFiles,
  SHARED_GATEWAY,
  sharedGatewayConfig,
  sharedGatewayWithListener,
} from '../support/__testUtils__/sharedGatewayRepository';
import { testActionContext } from '../support/__testUtils__/testContext';
import { readGitOpsSettings } from '../gitops/gitopsSettings';
import { createLocateEndpointAction } from './locateEndpoint';
import { examples } from './locateEndpoint.examples';

const EXAMPLE = yaml.parse(examples[0].example).steps[0].input;

/** One repository standing for both the team's and the platform's (the test repository answers any URL). */
async function locate(
  files: GitOpsFile[],
  input: Record<string, unknown> = {},
) {
  const ctx = testActionContext({ ...EXAMPLE, ...input });
  await createLocateEndpointAction({
    sharedGateways: [SHARED_GATEWAY],
    repository: repositoryOfFiles(files).repository,
    settings: gitopsTestSettings,
  }).handler(ctx);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('aws-gateway:endpoint:locate', () => {
  it('runs the example: a listener on the configured shared Gateway', async () => {
    expect(await locate(sharedGatewayWithListener())).toEqual({
      kind: 'shared-listener',
      sharedGateway: 'prod/platform-gateways/shared-nlb',
      path: 'shared-gateway-routes/team-a/orders',
    });
  });

  it('finds a TLS listener by its TLSRoute among two shared Gateways of one repository (its TargetGroupConfiguration, first in the folder, names no parent)', async () => {
    const other = {
      ...SHARED_GATEWAY,
      id: 'prod/platform-gateways/other-nlb',
      name: 'other-nlb',
      gitops: { ...SHARED_GATEWAY.gitops, path: 'platform/other-nlb.yaml' },
    };
    // In the repository's (git's) order: targetgroupconfiguration-… before tlsroute-….
    const files = sharedGatewayWithListener({
      ...ORDERS,
      protocol: 'TLS',
      hostname: 'orders.apps.example.com',
    }).sort((a, b) => a.path.localeCompare(b.path));
    const ctx = testActionContext(EXAMPLE);
    await createLocateEndpointAction({
      sharedGateways: [other, SHARED_GATEWAY],
      repository: repositoryOfFiles(files).repository,
      settings: gitopsTestSettings,
    }).handler(ctx);
    expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls)).toEqual({
      kind: 'shared-listener',
      sharedGateway: SHARED_GATEWAY.id,
      path: 'shared-gateway-routes/team-a/orders',
    });
  });

  it('finds a Gateway of its own', async () => {
    const classic = await committedClassicEndpoint();
    expect(
      await locate(classic, { namespace: 'default', name: 'aws-tcp-gateway' }),
    ).toEqual({ kind: 'gateway', path: 'gateways/default/aws-tcp-gateway' });
  });

  it('does not look at shared Gateways of another cluster', async () => {
    await expect(
      locate(sharedGatewayWithListener(), { cluster: 'staging' }),
    ).rejects.toThrow(
      /team-a\/orders: the portal wrote no endpoint of that name — neither gateways\/team-a\/orders in .* nor shared-gateway-routes\/team-a\/orders for any shared Gateway/,
    );
  });

  it('refuses a name that is both, naming the way to choose', async () => {
    const classic = await committedClassicEndpoint();
    const both = [
      ...sharedGatewayWithListener({
        ...ORDERS,
        namespace: 'default',
        routeName: 'aws-tcp-gateway',
      }),
      ...classic,
    ];
    await expect(
      locate(both, { namespace: 'default', name: 'aws-tcp-gateway' }),
    ).rejects.toThrow(
      /name: default\/aws-tcp-gateway is a Gateway of its own \(gateways\/default\/aws-tcp-gateway\) and a listener on shared Gateway prod\/platform-gateways\/shared-nlb; name the shared Gateway .*\[endpoint-ambiguous\]/,
    );
  });

  it("sends the user's token only to the host it is for", async () => {
    const settings = readGitOpsSettings(
      new ConfigReader({
        integrations: {
          gitea: ['git.example.com', 'platform-git.example.com'].map(host => ({
            host,
            baseUrl: `https://${host}`,
            username: 'portal',
            password: 'portal-secret',
          })),
        },
        awsGateway: {
          provisioning: {
            gitops: {
              allowedRepoUrls: [
                'https://git.example.com/platform/*',
                'https://platform-git.example.com/platform/*',
              ],
            },
          },
        },
      }),
    );
    const [elsewhere] = readSharedGateways(
      sharedGatewayConfig(
        'https://platform-git.example.com/platform/gitops.git',
      ),
    );
    const { repository, readFiles } = repositoryOfFiles(
      sharedGatewayWithListener(),
    );
    await createLocateEndpointAction({
      sharedGateways: [elsewhere],
      repository,
      settings,
    }).handler(testActionContext({ ...EXAMPLE, token: 'user-token' }));
    const tokens = readFiles.mock.calls.map(
      ([url, options]) => `${(url as any).host} ${(options as any).userToken}`,
    );
    expect(tokens).toEqual([
      'git.example.com user-token',
      'platform-git.example.com undefined',
    ]);
  });

  it('finds a listener not merged yet on its expose pull request, only while that is open', async () => {
    const review = 'aws-gateway/shared-team-a-orders';
    const onReview = repositoryOfFiles(sharedGatewayWithListener());
    const onMain = repositoryOfFiles([]);
    const locateUnderReview = async (open: boolean) => {
      const findOpen = jest.fn(async (head: string) =>
        open && head === review
          ? { number: 6, url: 'https://git.example.com/pulls/6' }
          : undefined,
      );
      const ctx = testActionContext(EXAMPLE);
      await createLocateEndpointAction({
        sharedGateways: [SHARED_GATEWAY],
        repository: {
          readFiles: (url, options) =>
            (options.branch === review ? onReview : onMain).readFiles(
              url,
              options,
            ),
          describeRemote: async () => ({
            type: 'gitea',
            branches: { main: 'a'.repeat(40), [review]: 'b'.repeat(40) },
          }),
          pullRequestOpener: async () => ({ findOpen } as any),
        },
        settings: gitopsTestSettings,
      }).handler(ctx);
      return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    };
    expect(await locateUnderReview(true)).toEqual({
      kind: 'shared-listener',
      sharedGateway: 'prod/platform-gateways/shared-nlb',
      path: 'shared-gateway-routes/team-a/orders',
    });
    // Merged or closed, never merged: nothing of it is on main.
    await expect(locateUnderReview(false)).rejects.toThrow(
      /the portal wrote no endpoint of that name .*nor on an open expose pull request/,
    );
  });

  it('refuses a name that is not a Kubernetes name before any read', async () => {
    await expect(locate([], { name: '../../etc' })).rejects.toThrow(
      /name: "..\/..\/etc" is not a Kubernetes name/,
    );
  });
});
