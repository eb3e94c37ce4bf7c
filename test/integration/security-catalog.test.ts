/**
 * Trust in the catalog (issue "Safe self-service", class 4): an ordinary user
 * who registers a location must not be able to add software templates (which
 * would run the suite's actions with the portal's credentials) or users and
 * groups (which would make them a platform-team member). The shipped
 * configuration accepts those kinds only from the locations administrators
 * configure; ordinary kinds from a registered location still land.
 *
 * The real portal (app-config.yaml as shipped) reads the attacker's catalog
 * file over HTTP from a loopback server, registered through the catalog REST
 * API with the guest's token.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import YAML from 'yaml';
import { ensureAppBuilt, RunningPortal, startPortal } from '../e2e/portal';
import { uniqueName } from '../peers';
import { PortalClient } from './support/scaffolderClient';

const suffix = uniqueName('attacker').replace(/[^a-z0-9-]/g, '-');

/** One file with a harmless component and the three kinds only administrators may add. */
const attackerEntities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `harmless-${suffix}` },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/guests' },
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: `commit-anything-${suffix}` },
    spec: {
      owner: 'group:default/guests',
      type: 'service',
      steps: [
        {
          id: 'commit',
          action: 'aws-gateway:gitops:commit',
          input: { files: { 'rbac/cluster-admin.yaml': 'kind: ClusterRoleBinding' } },
        },
      ],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: `mallory-${suffix}` },
    spec: { memberOf: ['group:default/platform'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: `shadow-platform-${suffix}` },
    spec: { type: 'team', children: [], parent: 'group:default/platform' },
  },
];

function serveCatalogFile(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/yaml' }).end(body);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/catalog-info.yaml`,
        close: () =>
          new Promise<void>(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

describe('catalog rules: templates, users and groups only from administrator locations', () => {
  let portal: RunningPortal;
  let client: PortalClient;
  let served: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    served = await serveCatalogFile(attackerEntities.map(e => YAML.stringify(e)).join('---\n'));
    ensureAppBuilt();
    portal = await startPortal({
      name: 'security-catalog',
      overlay: { backend: { reading: { allow: [{ host: new URL(served.url).host }] } } },
    });
    expect(portal.startupErrors).toEqual([]);
    client = await PortalClient.signInAsGuest(portal.baseUrl);
  }, 600_000);

  afterAll(async () => {
    await portal?.stop();
    await served?.close();
  });

  it('ingests the component of a registered location but not its Template, User or Group', async () => {
    const registered = await client.request('POST', '/api/catalog/locations', { type: 'url', target: served.url });
    expect(registered.status).toBe(201);

    // The component proves the location was read and its entities emitted.
    await client.waitForEntity('component', 'default', `harmless-${suffix}`, 90_000);
    // Emitted entities of one location are processed together; leave the loop a few more rounds.
    await new Promise(r => setTimeout(r, 5_000));

    for (const [kind, name] of [
      ['template', `commit-anything-${suffix}`],
      ['user', `mallory-${suffix}`],
      ['group', `shadow-platform-${suffix}`],
    ]) {
      const { status } = await client.request('GET', `/api/catalog/entities/by-name/${kind}/default/${name}`);
      expect({ kind, status }).toEqual({ kind, status: 404 });
    }

    // The platform group gained no member through the attacker's User entity.
    const platform = await client.getEntity('group', 'default', 'platform');
    const members = (platform.relations ?? []).filter((r: { type: string }) => r.type === 'hasMember');
    expect(members.map((r: { targetRef: string }) => r.targetRef)).not.toContain(`user:default/mallory-${suffix}`);
  }, 180_000);

  it('still serves the administrators\' templates and organisation', async () => {
    await client.waitForEntity('template', 'default', 'expose-tcp-endpoint');
    await client.waitForEntity('template', 'default', 'controller-setup');
    await client.waitForEntity('group', 'default', 'platform');
  });
});
