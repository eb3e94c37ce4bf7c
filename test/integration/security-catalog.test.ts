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
import YAML from 'yaml';
import { ensureAppBuilt, RunningPortal, startPortal } from '../e2e/portal';
import { uniqueName } from '../peers';
import { serveCatalogFile } from './support/catalogFileServer';
import { PortalClient } from './support/scaffolderClient';

const suffix = uniqueName('attacker').replace(/[^a-z0-9-]/g, '-');

/** A harmless component: its location, registered last, shows when the catalog has processed what came before. */
const harmlessComponent = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: `harmless-${suffix}` },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/guests',
  },
};

/** The three kinds only administrators may add. */
const attackerEntities = [
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
          input: {
            files: { 'rbac/cluster-admin.yaml': 'kind: ClusterRoleBinding' },
          },
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

describe('catalog rules: templates, users and groups only from administrator locations', () => {
  let portal: RunningPortal;
  let client: PortalClient;
  // One file per forbidden entity: a refused entity fails its whole location, which must not hide another's acceptance.
  let attackerFiles: Array<{ url: string; close(): Promise<void> }> = [];
  let harmlessFile: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    attackerFiles = await Promise.all(
      attackerEntities.map(e => serveCatalogFile(YAML.stringify(e))),
    );
    harmlessFile = await serveCatalogFile(YAML.stringify(harmlessComponent));
    ensureAppBuilt();
    portal = await startPortal({
      name: 'security-catalog',
      overlay: {
        backend: {
          reading: {
            allow: [...attackerFiles, harmlessFile].map(f => ({
              host: new URL(f.url).host,
            })),
          },
        },
      },
    });
    expect(portal.startupErrors).toEqual([]);
    client = await PortalClient.signInAsGuest(portal.baseUrl);
  }, 600_000);

  afterAll(async () => {
    await portal?.stop();
    await Promise.all(attackerFiles.map(f => f.close()));
    await harmlessFile?.close();
  });

  it('ingests a registered component but no Template, User or Group from a registered location', async () => {
    for (const file of [...attackerFiles, harmlessFile]) {
      const registered = await client.request(
        'POST',
        '/api/catalog/locations',
        { type: 'url', target: file.url },
      );
      expect(registered.status).toBe(201);
    }

    // The component, registered after the attacker's file, proves that registered locations are read.
    await client.waitForEntity(
      'component',
      'default',
      `harmless-${suffix}`,
      90_000,
    );
    // Leave the processing loop a few more rounds for the attacker's file.
    await new Promise(r => setTimeout(r, 5_000));

    for (const [kind, name] of [
      ['template', `commit-anything-${suffix}`],
      ['user', `mallory-${suffix}`],
      ['group', `shadow-platform-${suffix}`],
    ]) {
      const { status } = await client.request(
        'GET',
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
      );
      expect({ kind, status }).toEqual({ kind, status: 404 });
    }

    // The platform group gained no member through the attacker's User entity.
    const platform = await client.getEntity('group', 'default', 'platform');
    const members = (platform.relations ?? []).filter(
      (r: { type: string }) => r.type === 'hasMember',
    );
    expect(
      members.map((r: { targetRef: string }) => r.targetRef),
    ).not.toContain(`user:default/mallory-${suffix}`);
  }, 180_000);

  it("still serves the administrators' templates and organisation", async () => {
    await client.waitForEntity('template', 'default', 'expose-tcp-endpoint');
    await client.waitForEntity('template', 'default', 'controller-setup');
    await client.waitForEntity('group', 'default', 'platform');
  });
});
