import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesManifest,
  readSharedGateways,
  SharedGateway,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { FormClusterReader } from './clusterReads';
import { FormOptionsService } from './FormOptionsService';
import {
  SharedGatewayFormOptions,
  SharedGatewayReader,
  SharedGatewayRepositoryState,
  SharedGatewayTargetGroupConfigurations,
} from './sharedGatewayOptions';

const gateway = (cluster: string, name: string) => ({
  cluster,
  namespace: 'platform-gateways',
  name,
  title: `Shared ${name}`,
  gitops: {
    repoUrl: 'https://git.example.com/platform/gitops.git',
    path: `gateways/${name}.yaml`,
  },
  listenerPorts: ['20000-20004', 20010],
  allowedRoutes: { from: 'Selector', matchLabels: { 'shared-nlb': 'yes' } },
});

const config = new ConfigReader({
  awsGateway: {
    provisioning: {
      allowedClusters: ['dev'],
      sharedGateways: [
        {
          ...gateway('dev', 'shared-nlb'),
          protocols: ['TCP', 'UDP', 'TLS'],
          tlsHostnames: ['*.apps.example.com'],
        },
        gateway('dev', 'not-yet'),
        gateway('dev', 'broken'),
        // Not an allowed cluster: never offered.
        gateway('prod', 'shared-nlb'),
      ],
    },
  },
});

const LIVE = {
  spec: {
    listeners: [
      { name: 'platform-dns', protocol: 'UDP', port: 20000 },
      { name: 'team-b', protocol: 'TCP', port: 20003 },
      { name: 'https', protocol: 'TLS', port: 443 },
      { name: 'malformed', port: 'x' },
    ],
  },
};

/** The manifest on main holds a listener merged but not applied yet; an open review claims another port. */
const REPOSITORY: SharedGatewayRepositoryState = {
  listeners: [
    { name: 'platform-dns', protocol: 'UDP', port: 20000 },
    { name: 'team-b', protocol: 'TCP', port: 20003 },
    { name: 'team-c', protocol: 'TCP', port: 20004 },
  ],
  pending: {
    listed: true,
    read: 1,
    claims: [
      {
        name: 'team-d',
        protocol: 'TCP',
        port: 20001,
        branch: 'aws-gateway/shared-team-d-db',
        pullRequest: {
          number: 7,
          url: 'https://git.example.com/platform/gitops/pulls/7',
        },
      },
    ],
  },
};

/** Another open review adds a TargetGroupConfiguration for Service default/db. */
const COMMITTED: SharedGatewayTargetGroupConfigurations = {
  found: [
    {
      item: {
        apiVersion: 'gateway.k8s.aws/v1beta1',
        kind: 'TargetGroupConfiguration',
        metadata: { name: 'db', namespace: 'default' },
        spec: { targetReference: { name: 'db' } },
      },
      where:
        'proposed in shared-gateway-routes/default/db/targetgroupconfiguration-db.yaml by pull request https://git.example.com/platform/gitops/pulls/8',
    },
  ],
  notes: [],
};

/** What the problems reader was asked: the manifests rendered and what was committed. */
type ProblemsCall = {
  manifests: KubernetesManifest[];
  committed: SharedGatewayTargetGroupConfigurations['found'];
};

function setup(
  repository: (
    g: SharedGateway,
  ) => Promise<SharedGatewayRepositoryState> = async () => REPOSITORY,
  targetGroupConfigurations: (
    g: SharedGateway,
  ) => Promise<SharedGatewayTargetGroupConfigurations> = async () => COMMITTED,
  liveFails?: Error,
) {
  const reads: string[] = [];
  const problemsCalls: ProblemsCall[] = [];
  const reader: SharedGatewayReader = {
    async readGateway(_kc, namespace, name) {
      reads.push(`${namespace}/${name}`);
      if (name === 'broken') throw new ApiException(403, 'Forbidden', {}, {});
      return name === 'shared-nlb' ? LIVE : undefined;
    },
    // Stands in for the node library's rule: one problem per committed item for the rendered Service.
    async targetGroupConfigurationProblems(_kc, manifests, committed) {
      problemsCalls.push({ manifests, committed });
      if (liveFails) throw liveFails;
      const ours = manifests.find(m => m.kind === 'TargetGroupConfiguration');
      return committed
        .filter(
          c =>
            (c.item as any).spec.targetReference.name ===
            ours?.spec?.targetReference?.name,
        )
        .map(c => ({
          field: 'serviceName',
          rule: 'shared-target-group-configuration-taken',
          message: `taken (${c.where})`,
        }));
    },
  };
  const logger = mockServices.logger.mock();
  const service = new FormOptionsService({
    ...FormOptionsService.settingsFromConfig(config),
    logger,
    userInfo: mockServices.userInfo.mock(),
    clusters: new InMemoryKubernetesClusters([
      { name: 'dev', kubeConfig: new KubeConfig() },
      { name: 'prod', kubeConfig: new KubeConfig() },
    ]),
    reader: {} as FormClusterReader,
  });
  let now = 0;
  const options = new SharedGatewayFormOptions({
    gateways: readSharedGateways(config),
    service,
    reader,
    repositoryReader: {
      read: async g => {
        reads.push(`repository ${g.name}`);
        return repository(g);
      },
      readTargetGroupConfigurations: async g => {
        reads.push(`target group configurations ${g.name}`);
        return targetGroupConfigurations(g);
      },
    },
    logger,
    now: () => now,
  });
  return {
    options,
    reads,
    problemsCalls,
    logger,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('SharedGatewayFormOptions', () => {
  it('lists the configured Gateways of allowed clusters with the ports the live listeners, the manifest and the open reviews leave free', async () => {
    const { options } = setup();
    const list = await options.list(new AbortController().signal);
    expect(list.map(g => g.id)).toEqual([
      'dev/platform-gateways/shared-nlb',
      'dev/platform-gateways/not-yet',
      'dev/platform-gateways/broken',
    ]);
    expect(list[0]).toEqual({
      id: 'dev/platform-gateways/shared-nlb',
      cluster: 'dev',
      namespace: 'platform-gateways',
      name: 'shared-nlb',
      title: 'Shared shared-nlb',
      protocols: ['TCP', 'UDP', 'TLS'],
      tlsHostnames: ['*.apps.example.com'],
      freePorts: [
        { from: 20002, to: 20002 },
        { from: 20010, to: 20010 },
      ],
      takenPorts: [20000, 20003, 20004],
      pendingPorts: [
        {
          port: 20001,
          listenerName: 'team-d',
          pullRequestNumber: 7,
          pullRequestUrl: 'https://git.example.com/platform/gitops/pulls/7',
        },
      ],
      admits: 'only namespaces labelled shared-nlb=yes',
    });
  });

  it('says what is not known: open reviews that could not be listed, a manifest that could not be read (the live ports still shown)', async () => {
    const unlisted = setup(async () => ({
      listeners: REPOSITORY.listeners,
      pending: {
        listed: false,
        read: 0,
        claims: [],
        note: 'the open pull requests of x could not be listed (…)',
      },
    }));
    const [shared] = await unlisted.options.list(new AbortController().signal);
    expect(shared).toMatchObject({
      freePorts: [
        { from: 20001, to: 20002 },
        { from: 20010, to: 20010 },
      ],
      pendingPorts: [],
      pendingNote: 'the open pull requests of x could not be listed (…)',
    });

    const unread = setup(async () => {
      throw new Error(
        'gitops.repoUrl: https://git.example.com/platform/gitops.git is not allowed\nmore',
      );
    });
    const [live] = await unread.options.list(new AbortController().signal);
    expect(live).toMatchObject({
      freePorts: [
        { from: 20001, to: 20002 },
        { from: 20004, to: 20004 },
        { from: 20010, to: 20010 },
      ],
      takenPorts: [20000, 20003],
      pendingPorts: [],
      pendingNote:
        'the manifest in https://git.example.com/platform/gitops.git could not be read (gitops.repoUrl: https://git.example.com/platform/gitops.git is not allowed): ports merged but not applied yet, or pending review, are not known',
    });
    expect(unread.logger.warn).toHaveBeenCalled();
  });

  it('says why no ports are shown for a Gateway that is not live or cannot be read, without the API server text', async () => {
    const { options, logger } = setup();
    const [, notYet, broken] = await options.list(new AbortController().signal);
    expect(notYet).toMatchObject({
      freePorts: [],
      problem:
        'Gateway platform-gateways/not-yet does not exist on cluster dev yet',
    });
    expect(broken.freePorts).toEqual([]);
    expect(broken.problem).toMatch(
      /may not read Gateway platform-gateways\/broken on cluster dev/,
    );
    expect(broken.problem).not.toContain('Forbidden');
    expect(logger.warn).toHaveBeenCalled();
  });

  it('reads each live Gateway once for concurrent requests and again after a while; failures are not kept', async () => {
    const { options, reads, advance } = setup();
    const signal = new AbortController().signal;
    await Promise.all([options.list(signal), options.list(signal)]);
    const count = (name: string) => reads.filter(r => r === name).length;
    expect(count('platform-gateways/shared-nlb')).toBe(1);
    expect(count('repository shared-nlb')).toBe(1);
    expect(count('platform-gateways/broken')).toBe(1);
    await options.list(signal);
    expect(count('platform-gateways/shared-nlb')).toBe(1);
    expect(count('repository shared-nlb')).toBe(1);
    expect(count('platform-gateways/broken')).toBe(2);
    advance(16_000);
    await options.list(signal);
    expect(count('platform-gateways/shared-nlb')).toBe(2);
    expect(count('repository shared-nlb')).toBe(2);
  });

  it('stops waiting when the request ends', async () => {
    const { options } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(options.list(controller.signal)).rejects.toThrow();
  });

  describe("the TLS listener's TargetGroupConfiguration (what shared-listener would refuse)", () => {
    const values = {
      gatewayKind: 'shared',
      sharedGateway: 'dev/platform-gateways/shared-nlb',
      cluster: 'dev',
      namespace: 'default',
      serviceName: 'db',
      servicePort: 5432,
      listenerName: 'team-e-db',
      listenerPort: 20002,
      protocol: 'TLS',
      tlsHostname: 'db.apps.example.com',
      routeName: 'team-e-db',
    };
    const check = (
      options: SharedGatewayFormOptions,
      v: Record<string, unknown> = values,
    ) =>
      options.checkTargetGroupConfiguration(v, {
        signal: new AbortController().signal,
      });

    it("reports the Service's TargetGroupConfiguration of another endpoint, with the rule's field, rule and words, checking the one the action would render", async () => {
      const { options, problemsCalls, reads } = setup();
      expect(await check(options)).toEqual({
        issues: [
          {
            field: 'serviceName',
            rule: 'shared-target-group-configuration-taken',
            message: `taken (${COMMITTED.found[0].where})`,
          },
        ],
        notes: [],
      });
      const [call] = problemsCalls;
      expect(call.committed).toEqual(COMMITTED.found);
      expect(
        call.manifests.find(m => m.kind === 'TargetGroupConfiguration'),
      ).toMatchObject({
        apiVersion: expect.stringMatching(/^gateway\.k8s\.aws\//),
        metadata: { name: 'team-e-db', namespace: 'default' },
        spec: {
          targetReference: { name: 'db' },
          defaultConfiguration: { protocol: 'TCP', targetType: 'ip' },
        },
      });
      // Another Service: nothing in its way.
      expect(
        (await check(options, { ...values, serviceName: 'cache' })).issues,
      ).toEqual([]);
      // The repository read once for both checks (reused briefly, like the ports).
      expect(
        reads.filter(r => r === 'target group configurations shared-nlb'),
      ).toHaveLength(1);
    });

    it('checks nothing for a new gateway, TCP, a gateway not offered or a form not filled in far enough', async () => {
      const { options, problemsCalls, reads } = setup();
      for (const v of [
        { ...values, gatewayKind: 'new' },
        { ...values, protocol: 'TCP' },
        { ...values, sharedGateway: 'prod/platform-gateways/shared-nlb' },
        { ...values, sharedGateway: 'dev/platform-gateways/unknown' },
        { ...values, serviceName: undefined },
        { ...values, routeName: 'Not_A_Name' },
      ]) {
        expect(await check(options, v)).toEqual({ issues: [], notes: [] });
      }
      expect(problemsCalls).toEqual([]);
      expect(reads).toEqual([]);
    });

    it('says what the check could not see: a bound a read met, a repository or a cluster that could not be read', async () => {
      const bounded = setup(undefined, async () => ({
        found: [],
        notes: [
          'not every file below gateways/ and shared-gateway-routes/ on main was read for TargetGroupConfigurations (it stopped at the bound of 1024 files): one for the Service there may be missed',
        ],
      }));
      expect(await check(bounded.options)).toEqual({
        issues: [],
        notes: [
          'The TargetGroupConfiguration check could not see every file: not every file below gateways/ and shared-gateway-routes/ on main was read for TargetGroupConfigurations (it stopped at the bound of 1024 files): one for the Service there may be missed',
        ],
      });

      const unread = setup(undefined, async () => {
        throw new Error('git fetch failed\nmore');
      });
      const { notes } = await check(unread.options);
      expect(notes).toEqual([
        'The TargetGroupConfiguration check could not see every file: the files of https://git.example.com/platform/gitops.git could not be read (git fetch failed): TargetGroupConfigurations committed but not applied yet, or in open pull requests, are not known',
      ]);
      expect(unread.logger.warn).toHaveBeenCalled();

      const refused = setup(
        undefined,
        undefined,
        new ApiException(403, 'Forbidden', {}, {}),
      );
      const live = await check(refused.options);
      expect(live.issues).toEqual([]);
      expect(live.notes).toHaveLength(1);
      expect(live.notes[0]).toMatch(
        /the TargetGroupConfigurations live on cluster dev could not be read \(.*may not list TargetGroupConfigurations in namespace default/,
      );
      expect(live.notes[0]).not.toContain('Forbidden');
    });
  });
});
