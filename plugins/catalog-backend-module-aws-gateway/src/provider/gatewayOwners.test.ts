import { Entity } from '@backstage/catalog-model';
import { NamespaceGrant } from '@gateway-portal/plugin-aws-gateway-node';
import { GatewayFacts } from './gatewayFacts';
import {
  ComponentLookup,
  groupByKubernetesId,
  resolveGatewayOwners,
} from './gatewayOwners';

function component(
  name: string,
  owner: string | undefined,
  extra: { kubernetesId?: string; system?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(extra.kubernetesId
        ? { annotations: { 'backstage.io/kubernetes-id': extra.kubernetesId } }
        : {}),
    },
    spec: {
      type: 'service',
      ...(owner ? { owner } : {}),
      ...(extra.system ? { system: extra.system } : {}),
    },
  };
}

const CATALOG = [
  component('web', 'team-a', { kubernetesId: 'web', system: 'shop' }),
  component('payments', 'group:default/team-b', { kubernetesId: 'payments' }),
  component('twin-1', 'team-a', { kubernetesId: 'twin' }),
  component('twin-2', 'team-a', { kubernetesId: 'twin' }),
  component('orphan', undefined),
];

/** The in-memory catalog, counting its reads. */
function lookup(entities = CATALOG) {
  const calls = { byRef: 0, byKubernetesId: 0 };
  const lookupImpl: ComponentLookup = {
    async byRef(refs) {
      calls.byRef++;
      const all = new Map(
        entities.map(e => [`component:default/${e.metadata.name}`, e]),
      );
      return new Map(refs.flatMap(r => (all.has(r) ? [[r, all.get(r)!]] : [])));
    },
    async byKubernetesId(ids) {
      calls.byKubernetesId++;
      return groupByKubernetesId(
        entities.filter(e =>
          ids.includes(
            e.metadata.annotations?.['backstage.io/kubernetes-id'] ?? '',
          ),
        ),
      );
    },
  };
  return { lookup: lookupImpl, calls };
}

function gateway(
  namespace: string,
  claim?: string,
  kubernetesId?: string,
): GatewayFacts {
  return {
    cluster: 'prod',
    namespace,
    name: 'gw',
    annotations: claim ? { 'aws-gateway.io/entity-ref': claim } : {},
    ...(kubernetesId ? { kubernetesId } : {}),
    listeners: [],
    scheme: 'internal',
    rejectedSourceRanges: 0,
    openToWorld: false,
    state: 'programmed',
  };
}

const GRANTS: NamespaceGrant[] = [
  { namespace: 'team-b-apps', owners: ['group:default/team-b'] },
];
const OPTIONS = {
  defaultOwner: 'group:default/platform',
  namespaceOwners: GRANTS,
};

describe('resolveGatewayOwners', () => {
  it('gives a Gateway that names its component that component’s owner, system and relation', async () => {
    const [owner] = await resolveGatewayOwners(
      [gateway('shop', 'web')],
      lookup().lookup,
      OPTIONS,
    );
    expect(owner).toEqual({
      linked: true,
      componentRef: 'component:default/web',
      owner: 'group:default/team-a',
      system: 'system:default/shop',
    });
  });

  it('attack: a namespace given to team B cannot claim team A’s component', async () => {
    const [owner] = await resolveGatewayOwners(
      [gateway('team-b-apps', 'component:default/web')],
      lookup().lookup,
      OPTIONS,
    );
    expect(owner).toEqual({
      linked: false,
      owner: 'group:default/platform',
      reason: 'not-linked',
    });
  });

  it('links team B’s component in team B’s namespace, by name or by label', async () => {
    const owners = await resolveGatewayOwners(
      [
        gateway('team-b-apps', 'payments'),
        gateway('team-b-apps', undefined, 'payments'),
      ],
      lookup().lookup,
      OPTIONS,
    );
    expect(owners.map(o => o.linked && o.owner)).toEqual([
      'group:default/team-b',
      'group:default/team-b',
    ]);
  });

  it('attack: a borrowed kubernetes-id label alone claims nothing', async () => {
    const [owner] = await resolveGatewayOwners(
      [gateway('anywhere', undefined, 'web')],
      lookup().lookup,
      OPTIONS,
    );
    expect(owner).toMatchObject({ linked: false, reason: 'not-linked' });
  });

  it('attack: a component that does not exist, or a claim that is no entity ref, gets the default owner', async () => {
    const owners = await resolveGatewayOwners(
      [
        gateway('shop', 'component:default/ghost'),
        gateway('shop', 'component:default/'),
        gateway('shop'),
      ],
      lookup().lookup,
      OPTIONS,
    );
    expect(owners).toEqual([
      {
        linked: false,
        owner: 'group:default/platform',
        reason: 'component-not-found',
      },
      { linked: false, owner: 'group:default/platform', reason: 'unclaimed' },
      { linked: false, owner: 'group:default/platform', reason: 'unclaimed' },
    ]);
  });

  it('a label shared by two components links neither', async () => {
    const [owner] = await resolveGatewayOwners(
      [gateway('team-b-apps', undefined, 'twin')],
      lookup().lookup,
      OPTIONS,
    );
    expect(owner).toMatchObject({ linked: false, reason: 'ambiguous-label' });
  });

  it('a linked component without an owner gets the default owner but keeps the relation', async () => {
    const [owner] = await resolveGatewayOwners(
      [gateway('shop', 'orphan')],
      lookup().lookup,
      OPTIONS,
    );
    expect(owner).toEqual({
      linked: true,
      componentRef: 'component:default/orphan',
      owner: 'group:default/platform',
    });
  });

  it('reads the catalog twice for any number of Gateways', async () => {
    const { lookup: l, calls } = lookup();
    await resolveGatewayOwners(
      Array.from({ length: 50 }, (_, i) =>
        i % 2
          ? gateway('shop', 'web')
          : gateway('team-b-apps', undefined, 'payments'),
      ),
      l,
      OPTIONS,
    );
    expect(calls).toEqual({ byRef: 1, byKubernetesId: 1 });
  });
});
