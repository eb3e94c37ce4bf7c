import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { KubernetesApiError } from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterObjects, nlbGateway } from '../__testUtils__/clusterObjects';
import { AwsGatewayEntityProvider } from './AwsGatewayEntityProvider';
import { ClusterObjects } from './clusterObjects';
import { ComponentLookup } from './gatewayOwners';

const WEB: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', namespace: 'default' },
  spec: { owner: 'team-a' },
};

const components: ComponentLookup = {
  async byRef(refs) {
    return new Map(
      refs.includes('component:default/web')
        ? [['component:default/web', WEB]]
        : [],
    );
  },
  async byKubernetesId() {
    return new Map();
  },
};

function setup(clusterNames: string[]) {
  const objects = new Map<string, ClusterObjects | Error>();
  const connection: jest.Mocked<EntityProviderConnection> = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  };
  const logger = mockServices.logger.mock();
  const provider = new AwsGatewayEntityProvider({
    clusters: new InMemoryKubernetesClusters(
      clusterNames.map(name => {
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromOptions({
          clusters: [{ name, server: 'https://127.0.0.1:1' }],
          users: [{ name: 'u' }],
          contexts: [{ name, cluster: name, user: 'u' }],
          currentContext: name,
        });
        return { name, kubeConfig };
      }),
    ),
    components,
    settings: {
      defaultOwner: 'group:default/platform',
      namespaceOwners: [],
      awsLocationOf: () => undefined,
    },
    logger,
    readCluster: async kc => {
      const answer = objects.get(kc.getCurrentCluster()!.name);
      if (!answer || answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { provider, connection, objects, logger };
}

function published(connection: jest.Mocked<EntityProviderConnection>) {
  const mutation = connection.applyMutation.mock.lastCall![0];
  if (mutation.type !== 'full') throw new Error('expected a full mutation');
  return mutation.entities.map(e => ({
    title: e.entity.metadata.title,
    owner: e.entity.spec?.owner,
    dependencyOf: e.entity.spec?.dependencyOf,
    locationKey: e.locationKey,
  }));
}

describe('AwsGatewayEntityProvider', () => {
  const signal = new AbortController().signal;

  it('publishes one Resource per NLB Gateway on every cluster, replacing what it published before', async () => {
    const { provider, connection, objects } = setup(['dev', 'prod']);
    await expect(provider.refresh(signal)).rejects.toThrow(/not connected/);
    await provider.connect(connection);
    objects.set('dev', clusterObjects([nlbGateway()]));
    objects.set(
      'prod',
      clusterObjects([
        nlbGateway(),
        nlbGateway({ name: 'stray', annotations: {} }),
      ]),
    );
    await expect(provider.refresh(signal)).resolves.toBe(3);
    expect(published(connection)).toEqual([
      {
        title: 'shop/web (dev)',
        owner: 'group:default/team-a',
        dependencyOf: ['component:default/web'],
        locationKey: 'aws-gateway:aws-gateway-entity-provider',
      },
      {
        title: 'shop/stray (prod)',
        owner: 'group:default/platform',
        dependencyOf: undefined,
        locationKey: 'aws-gateway:aws-gateway-entity-provider',
      },
      {
        title: 'shop/web (prod)',
        owner: 'group:default/team-a',
        dependencyOf: ['component:default/web'],
        locationKey: 'aws-gateway:aws-gateway-entity-provider',
      },
    ]);

    // A removed Gateway disappears with the next full mutation.
    objects.set('prod', clusterObjects([nlbGateway()]));
    await provider.refresh(signal);
    expect(published(connection).map(e => e.title)).toEqual([
      'shop/web (dev)',
      'shop/web (prod)',
    ]);
  });

  it('keeps the Resources of a cluster it cannot read, and replaces nothing when it never read it', async () => {
    const { provider, connection, objects, logger } = setup(['dev', 'prod']);
    await provider.connect(connection);
    objects.set('dev', clusterObjects([nlbGateway()]));
    objects.set(
      'prod',
      new KubernetesApiError(
        'list gateways: HTTP 503',
        503,
        undefined,
        'secret detail',
      ),
    );
    await expect(provider.refresh(signal)).resolves.toBeUndefined();
    expect(connection.applyMutation).not.toHaveBeenCalled();

    objects.set('prod', clusterObjects([nlbGateway({ name: 'api' })]));
    await provider.refresh(signal);
    objects.set('prod', new KubernetesApiError('list gateways: HTTP 503', 503));
    objects.set('dev', clusterObjects([]));
    await expect(provider.refresh(signal)).resolves.toBe(1);
    expect(published(connection).map(e => e.title)).toEqual([
      'shop/api (prod)',
    ]);
    const warnings = logger.warn.mock.calls.map(c => String(c[0]));
    expect(warnings.join('\n')).toContain('cluster prod could not be read');
    expect(warnings.join('\n')).not.toContain('secret detail');
  });
});
