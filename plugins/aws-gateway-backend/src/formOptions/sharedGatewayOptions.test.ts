import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readSharedGateways } from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { FormClusterReader } from './clusterReads';
import { FormOptionsService } from './FormOptionsService';
import {
  SharedGatewayFormOptions,
  SharedGatewayReader,
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
        gateway('dev', 'shared-nlb'),
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

function setup() {
  const reads: string[] = [];
  const reader: SharedGatewayReader = {
    async readGateway(_kc, namespace, name) {
      reads.push(`${namespace}/${name}`);
      if (name === 'broken') throw new ApiException(403, 'Forbidden', {}, {});
      return name === 'shared-nlb' ? LIVE : undefined;
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
    logger,
    now: () => now,
  });
  return {
    options,
    reads,
    logger,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('SharedGatewayFormOptions', () => {
  it('lists the configured Gateways of allowed clusters with the ports the live listeners leave free', async () => {
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
      protocols: ['TCP', 'UDP'],
      freePorts: [
        { from: 20001, to: 20002 },
        { from: 20004, to: 20004 },
        { from: 20010, to: 20010 },
      ],
      takenPorts: [20000, 20003],
      admits: 'only namespaces labelled shared-nlb=yes',
    });
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
    expect(reads.filter(r => r.endsWith('shared-nlb'))).toHaveLength(1);
    expect(reads.filter(r => r.endsWith('broken'))).toHaveLength(1);
    await options.list(signal);
    expect(reads.filter(r => r.endsWith('shared-nlb'))).toHaveLength(1);
    expect(reads.filter(r => r.endsWith('broken'))).toHaveLength(2);
    advance(16_000);
    await options.list(signal);
    expect(reads.filter(r => r.endsWith('shared-nlb'))).toHaveLength(2);
  });

  it('stops waiting when the request ends', async () => {
    const { options } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(options.list(controller.signal)).rejects.toThrow();
  });
});
