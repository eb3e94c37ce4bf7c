/**
 * The expose form's options API (issue 12) in the real portal, against the
 * real kube-apiserver: the clusters with the controller profile detected from
 * their CRDs, the namespaces a developer may use (allowed by
 * `awsGateway.provisioning.gateways.allowedNamespaces`, minus a namespace
 * `awsGateway.status.namespaceOwners` gives to another team), the Services and
 * ports of a namespace, refusals (403/404/400) and the pre-submit check with
 * the files the commit will write. The shared gateways with their free ports:
 * a port the portal's open review pull request adds is pending (with its pull
 * request), a review whose manifest cannot be read is said.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import {
  readSharedGateways,
  renderEndpointManifests,
  renderSharedRouteManifests,
} from '@gateway-portal/plugin-aws-gateway-node';
import { classicEndpoint } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import { kubeConfigFor, PROFILE_V16, uniqueName } from '../peers';
import { PortalClient } from './support/scaffolderClient';
import {
  addListener,
  createPeerSharedGateway,
  openPeerReview,
  PeerSharedGateway,
  SHARED_GATEWAY_FILE,
} from './support/sharedGatewayPeer';
import { deleteApplied, serverSideApply } from './support/serverSideApply';
import {
  ensureBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';

const OTHER_TEAMS_NAMESPACE = 'apps';
const API = '/api/aws-gateway/form-options';

let env: TemplatesPortal;
let client: PortalClient;
let cluster: string;
let core: k8s.CoreV1Api;
let createdService = false;
let shared: PeerSharedGateway;
/** The portal's `awsGateway.provisioning.sharedGateways`: the peer's shared gateway, offering TLS. */
const sharedGatewaysConfig = () => [
  {
    ...shared.entry,
    protocols: ['TCP', 'UDP', 'TLS'],
    tlsHostnames: ['*.apps.example.com'],
  },
];
const service = uniqueName('form-svc');
/** Objects applied by the tests (TargetGroupConfigurations, the picker's endpoints), deleted after. */
const applied: k8s.KubernetesObject[] = [];

beforeAll(async () => {
  // Deep-merged over the generated overlay by the config loader: the guest's
  // groups and a namespace given to another team.
  process.env.APP_CONFIG_awsGateway_status_namespaceOwners = JSON.stringify([
    { namespace: OTHER_TEAMS_NAMESPACE, owners: ['group:default/team-a'] },
  ]);
  shared = await createPeerSharedGateway();
  process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways =
    JSON.stringify(sharedGatewaysConfig());
  try {
    env = await startTemplatesPortal('form-options', {
      permissions: { platformTeams: ['group:default/platform'] },
      extraOverlay: {
        auth: {
          providers: {
            guest: {
              ownershipEntityRefs: [
                'user:development/guest',
                'group:default/guests',
              ],
            },
          },
        },
      },
    });
  } finally {
    delete process.env.APP_CONFIG_awsGateway_status_namespaceOwners;
    delete process.env.APP_CONFIG_awsGateway_provisioning_sharedGateways;
  }
  expect(env.portal.startupErrors).toEqual([]);
  client = env.client;
  const v16 = env.profiles.find(p => p.profile === PROFILE_V16);
  if (!v16) throw new Error('this test needs the gateway-api-v1.6 profile');
  cluster = v16.cluster;
  const kc = kubeConfigFor(PROFILE_V16);
  core = kc.makeApiClient(k8s.CoreV1Api);
  createdService = await ensureBackendService(kc);
  await core
    .createNamespace({ body: { metadata: { name: OTHER_TEAMS_NAMESPACE } } })
    .catch((e: any) => {
      if (e?.code !== 409) throw e;
    });
  await core.createNamespacedService({
    namespace: 'default',
    body: {
      metadata: { name: service },
      spec: {
        ports: [
          { name: 'db', port: 5432, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      },
    },
  });
}, 900_000);

afterAll(async () => {
  await deleteApplied(kubeConfigFor(PROFILE_V16), applied);
  await core
    ?.deleteNamespacedService({ name: service, namespace: 'default' })
    .catch(() => undefined);
  if (createdService) {
    await core
      ?.deleteNamespacedService({ name: 'backend', namespace: 'default' })
      .catch(() => undefined);
  }
  await env?.stop();
});

describe('form options against the real cluster', () => {
  it('lists the allowed clusters with the controller profile detected from their CRDs', async () => {
    const res = await client.request('GET', `${API}/clusters`);
    expect(res.status).toBe(200);
    expect(res.body.clusters).toContainEqual(
      expect.objectContaining({
        name: cluster,
        controllerProfile: expect.objectContaining({ id: 'lbc-v3.5' }),
      }),
    );
  });

  it("offers the allowed namespaces the guest's team may use", async () => {
    const res = await client.request(
      'GET',
      `${API}/clusters/${cluster}/namespaces`,
    );
    expect(res.status).toBe(200);
    // kube-system exists but is not allowed; apps is allowed but another team's.
    expect(res.body).toEqual({ namespaces: ['default'] });
  });

  it('lists the Services of a namespace with their ports', async () => {
    const res = await client.request(
      'GET',
      `${API}/clusters/${cluster}/namespaces/default/services`,
    );
    expect(res.status).toBe(200);
    expect(res.body.services).toContainEqual({
      name: 'backend',
      type: 'ClusterIP',
      ports: [{ name: 'tcp', port: 3000, protocol: 'TCP' }],
    });
    expect(res.body.services).toContainEqual({
      name: service,
      type: 'ClusterIP',
      ports: [
        { name: 'db', port: 5432, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    });
  });

  it("refuses another team's namespace, a cluster endpoints may not use and a malformed name", async () => {
    const other = await client.request(
      'GET',
      `${API}/clusters/${cluster}/namespaces/${OTHER_TEAMS_NAMESPACE}/services`,
    );
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      `Namespace ${OTHER_TEAMS_NAMESPACE} belongs to another team; choose a namespace of your team`,
    );
    const notAllowed = await client.request(
      'GET',
      `${API}/clusters/prod-eu/namespaces`,
    );
    expect(notAllowed.status).toBe(403);
    const malformed = await client.request(
      'GET',
      `${API}/clusters/${cluster}/namespaces/Not_A_Name/services`,
    );
    expect(malformed.status).toBe(400);
    for (const body of [other.body, notAllowed.body, malformed.body]) {
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|awsGateway\./);
    }
  });

  it('checks the form before submit: the files to commit and what to change', async () => {
    const values = {
      cluster,
      namespace: 'default',
      serviceName: 'backend',
      servicePort: 3000,
      gatewayName: 'aws-tcp-gateway',
      listenerName: 'tcp-app',
      listenerPort: 8080,
      protocol: 'TCP',
      routeName: 'tcp-backend-aws',
      scheme: 'internal',
    };
    const ok = await client.request('POST', `${API}/endpoint-check`, values);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      controllerProfile: { id: 'lbc-v3.5', source: 'cluster' },
      targetPath: 'gateways/default/aws-tcp-gateway',
      issues: [],
    });
    expect(ok.body.files).toEqual(
      [
        'loadbalancerconfiguration-aws-tcp-gateway.yaml',
        'targetgroupconfiguration-backend.yaml',
        'gateway-aws-tcp-gateway.yaml',
        'tcproute-tcp-backend-aws.yaml',
      ].map(f => `gateways/default/aws-tcp-gateway/${f}`),
    );

    const bad = await client.request('POST', `${API}/endpoint-check`, {
      ...values,
      namespace: OTHER_TEAMS_NAMESPACE,
      listenerPort: 80,
      scheme: 'internet-facing',
      controllerProfile: 'lbc-v2.17',
    });
    expect(bad.status).toBe(200);
    expect(
      bad.body.issues.map((i: { field: string }) => i.field).sort(),
    ).toEqual([
      'controllerProfile',
      'listenerPort',
      'namespace',
      'sourceCidrs',
    ]);
    expect(JSON.stringify(bad.body.issues)).not.toMatch(/awsGateway\./);
  });
});

describe('shared gateways in the form', () => {
  it('shows a port an open review pull request adds as pending with its pull request, not free; a review whose manifest cannot be read is said, not taken as free', async () => {
    const review = await openPeerReview(
      shared,
      'aws-gateway/shared-team-x-db',
      addListener({ name: 'team-x-db', protocol: 'TCP', port: 20001 }),
    );
    // Hostile content on a review branch: the manifest replaced by a link.
    const linked = await openPeerReview(
      shared,
      'aws-gateway/shared-team-y-db',
      manifest => {
        fs.rmSync(manifest);
        fs.symlinkSync('/etc/passwd', manifest);
      },
    );
    // Not one of the portal's review branches: not read.
    await openPeerReview(
      shared,
      'feature/by-hand',
      addListener({ name: 'by-hand', protocol: 'TCP', port: 20002 }),
    );

    const res = await client.request('GET', `${API}/shared-gateways`);
    expect(res.status).toBe(200);
    const gateway = res.body.sharedGateways.find(
      (g: { id: string }) => g.id === shared.id,
    );
    expect(gateway).toMatchObject({
      freePorts: [{ from: 20002, to: 20099 }],
      takenPorts: [20000],
      pendingPorts: [
        {
          port: 20001,
          listenerName: 'team-x-db',
          pullRequestNumber: review.number,
          pullRequestUrl: review.url,
        },
      ],
    });
    expect(gateway.pendingNote).toMatch(
      new RegExp(
        `the manifest of pull request #${linked.number} \\(.*\\) could not be read: its ports are not known`,
      ),
    );
    expect(gateway.pendingNote).not.toContain('root:');
  });
});

describe("a TLS listener on a shared gateway: the Service's TargetGroupConfiguration", () => {
  const TAKEN = 'shared-target-group-configuration-taken';
  /** The expose form on the shared path with TLS, for `serviceName`. */
  const tlsForm = (serviceName: string) => ({
    cluster,
    namespace: 'default',
    serviceName,
    servicePort: 5432,
    gatewayName: 'aws-tcp-gateway',
    listenerName: `${serviceName}-tls`,
    listenerPort: 20030,
    protocol: 'TLS',
    tlsHostname: 'db.apps.example.com',
    routeName: `${serviceName}-tls`,
    scheme: 'internal',
    gatewayKind: 'shared',
    sharedGateway: shared.id,
  });
  const check = async (serviceName: string) => {
    const res = await client.request(
      'POST',
      `${API}/endpoint-check`,
      tlsForm(serviceName),
    );
    expect(res.status).toBe(200);
    return res.body as {
      issues: { field: string; rule: string; message: string }[];
      notes?: string[];
    };
  };
  const tgc = (name: string, forService: string) => ({
    apiVersion: 'gateway.k8s.aws/v1',
    kind: 'TargetGroupConfiguration',
    metadata: { name, namespace: 'default' },
    spec: {
      targetReference: { name: forService },
      defaultConfiguration: { targetType: 'ip' },
    },
  });
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('reports, before submit, one another open pull request adds, naming the pull request as the action does; none for a Service without one', async () => {
    const pg = uniqueName('pg');
    const file = `shared-gateway-routes/default/${pg}/targetgroupconfiguration-${pg}.yaml`;
    const review = await openPeerReview(
      shared,
      `aws-gateway/shared-default-${pg}`,
      manifestPath => {
        const work = manifestPath.slice(0, -SHARED_GATEWAY_FILE.length);
        fs.mkdirSync(path.join(work, path.dirname(file)), { recursive: true });
        fs.writeFileSync(path.join(work, file), yaml.stringify(tgc(pg, pg)));
      },
    );
    const { issues } = await check(pg);
    expect(issues.filter(i => i.rule === TAKEN)).toEqual([
      {
        field: 'serviceName',
        rule: TAKEN,
        message: expect.stringMatching(
          new RegExp(
            `^Service default/${pg} already has TargetGroupConfiguration ${pg} \\(proposed in ${escape(
              file,
            )} by pull request ${escape(
              review.url,
            )}\\): the controller applies only one per Service`,
          ),
        ),
      },
    ]);
    const free = await check(uniqueName('free'));
    expect(free.issues.filter(i => i.rule === TAKEN)).toEqual([]);
    expect(free.notes).toBeUndefined();
  });

  it("reports, before submit, one live on the cluster, in the action's words", async () => {
    await serverSideApply(
      k8s.KubernetesObjectApi.makeApiClient(kubeConfigFor(PROFILE_V16)),
      tgc(`${service}-legacy`, service),
      'someone',
      applied,
    );
    const { issues } = await check(service);
    expect(issues.filter(i => i.rule === TAKEN)).toEqual([
      {
        field: 'serviceName',
        rule: TAKEN,
        message: `Service default/${service} already has TargetGroupConfiguration ${service}-legacy (live on the cluster): the controller applies only one per Service, and behind a TLS Passthrough listener it must say protocol TCP — expose the Service on TCP, or remove that TargetGroupConfiguration first`,
      },
    ]);
  });
});

describe("the change and remove forms' endpoint picker", () => {
  const COMPONENT = 'component:default/backend';
  const profile = CONTROLLER_PROFILES['lbc-v3.5'];
  type Endpoint = { name: string; kind: string };
  const list = (namespace: string, entityRef: string) =>
    client.request(
      'GET',
      `${API}/endpoints?${new URLSearchParams({
        cluster,
        namespace,
        entityRef,
      })}`,
    );
  /** The Gateway and routes the render action writes for `name`, for `entityRef`. */
  const endpointObjects = (name: string, entityRef: string) =>
    renderEndpointManifests(
      {
        ...classicEndpoint,
        name,
        entityRef,
        routes: classicEndpoint.routes.map(r => ({ ...r, name: `${name}-r` })),
      },
      profile,
    )
      .map(r => r.manifest)
      .filter(m => m.kind === 'Gateway' || m.kind.endsWith('Route'));
  const apply = async (manifests: k8s.KubernetesObject[]) => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(
      kubeConfigFor(PROFILE_V16),
    );
    for (const m of manifests) {
      await serverSideApply(objects, m, 'gitops-agent', applied);
    }
  };

  it("lists the component's Gateway and its TLS listener on the shared gateway (with the host names it allows), not another entity's or an unlabelled one; another team's namespace reads nothing", async () => {
    const own = uniqueName('picker-gw');
    const others = uniqueName('picker-other');
    const unlabelled = uniqueName('picker-hand');
    const route = uniqueName('picker-tls');
    const [sharedGateway] = readSharedGateways(
      new ConfigReader({
        awsGateway: {
          provisioning: { sharedGateways: sharedGatewaysConfig() },
        },
      }),
    );
    const sharedRoute = renderSharedRouteManifests(
      sharedGateway,
      {
        sharedGateway: sharedGateway.id,
        namespace: 'default',
        listenerName: `default-${route}`,
        listenerPort: 20031,
        protocol: 'TLS',
        hostname: 'db.apps.example.com',
        routeName: route,
        backend: { service: 'backend', port: 3000 },
        entityRef: COMPONENT,
        kubernetesId: 'backend',
      },
      profile,
    ).map(r => r.manifest);
    const [handWritten] = endpointObjects(unlabelled, COMPONENT);
    delete handWritten.metadata.labels;
    await apply([
      ...endpointObjects(own, COMPONENT),
      ...endpointObjects(others, 'component:default/billing'),
      handWritten,
      ...sharedRoute,
    ]);

    // The ref as a developer may write it: compared parsed, not as text.
    const res = await list('default', 'Backend');
    expect(res.status).toBe(200);
    const endpoints: Endpoint[] = res.body.endpoints;
    expect(endpoints).toContainEqual({
      name: own,
      kind: 'gateway',
      listeners: [{ name: 'tcp-app', port: 8080, protocol: 'TCP' }],
    });
    expect(endpoints).toContainEqual({
      name: route,
      kind: 'shared-listener',
      listeners: [
        {
          name: `default-${route}`,
          port: 20031,
          protocol: 'TLS',
          hostname: 'db.apps.example.com',
        },
      ],
      sharedGateway: {
        id: shared.id,
        protocols: ['TCP', 'UDP', 'TLS'],
        tlsHostnames: ['*.apps.example.com'],
      },
    });
    const names = endpoints.map(e => e.name);
    expect(names).not.toContain(others);
    expect(names).not.toContain(unlabelled);
    // The classic route of its own Gateway is that Gateway's, not a shared listener.
    expect(names).not.toContain(`${own}-r`);
    expect(res.body.problem).toBeUndefined();

    const billing = await list('default', 'component:default/billing');
    expect(billing.body.endpoints.map((e: Endpoint) => e.name)).toEqual(
      expect.arrayContaining([others]),
    );
    expect(billing.body.endpoints.map((e: Endpoint) => e.name)).not.toContain(
      own,
    );

    const other = await list(OTHER_TEAMS_NAMESPACE, COMPONENT);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      `Namespace ${OTHER_TEAMS_NAMESPACE} belongs to another team; choose a namespace of your team`,
    );
    const malformed = await list('default', 'component:');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^entityRef must be an entity ref/,
    );
  });
});
