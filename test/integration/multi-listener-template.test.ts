/**
 * Integration (issue 14): the expose template's "more backends" (weighted)
 * and "more listeners" fields through the real scaffolder REST API of the
 * real backend, as a dry run against the peers: the template's expressions
 * turn the form into the render action's listeners and routes, the cluster
 * checks the Services and dry-runs every manifest, and the task's output says
 * how the controller will serve each port. Nothing is written.
 */
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import { createBareRepo, kubeConfigFor, uniqueName } from '../peers';
import {
  ensureBackendService,
  removeBackendService,
  startTemplatesPortal,
  TemplatesPortal,
  templateValues,
} from './support/templatesPortal';

let env: TemplatesPortal;

beforeAll(async () => {
  env = await startTemplatesPortal('multi-listener-template');
  expect(env.portal.startupErrors).toEqual([]);
}, 900_000);

afterAll(async () => {
  await env?.stop();
});

describe('expose-tcp-endpoint with more backends and more listeners', () => {
  let kc: k8s.KubeConfig;
  let createdBackend = false;
  const canary = uniqueName('canary');
  const dns = uniqueName('dns');

  beforeAll(async () => {
    kc = kubeConfigFor(env.profiles[0].profile);
    createdBackend = await ensureBackendService(kc);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const services: Array<[string, k8s.V1ServicePort[]]> = [
      [canary, [{ name: 'tcp', port: 3000, protocol: 'TCP' }]],
      [
        dns,
        [
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      ],
    ];
    for (const [name, ports] of services) {
      await core.createNamespacedService({
        namespace: 'default',
        body: { metadata: { name }, spec: { type: 'ClusterIP', ports } },
      });
    }
  });

  afterAll(async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const name of [canary, dns]) {
      await core
        .deleteNamespacedService({ name, namespace: 'default' })
        .catch(() => undefined);
    }
    await removeBackendService(kc, createdBackend);
  });

  /**
   * The form's "more listeners": TCP and UDP on port 1053, the TCP one to
   * the dns Service; what the UDP one sends to is the case's.
   */
  const dnsListeners = (udpBackend: { service: string; port: number }) => [
    {
      name: 'dns-tcp',
      protocol: 'TCP',
      port: 1053,
      backends: [{ service: dns, port: 53 }],
    },
    { name: 'dns-udp', protocol: 'UDP', port: 1053, backends: [udpBackend] },
  ];

  async function dryRun(extra: Record<string, unknown>) {
    const { cluster } = env.profiles[0];
    const repoUrl = createBareRepo(uniqueName(`gitops-multi-${cluster}`), {
      'README.md': '# GitOps\n',
    });
    const template = await env.client.getEntity(
      'template',
      'default',
      'expose-tcp-endpoint',
    );
    const values = (await templateValues(env, cluster, repoUrl)).expose;
    return env.client.dryRun(template, {
      ...values,
      gatewayName: 'edge',
      ...extra,
    });
  }

  it('renders a weighted route and a TCP_UDP pair from the form, passes the cluster checks and says how the controller serves them', async () => {
    const { status, body } = await dryRun({
      serviceWeight: 80,
      moreBackends: [{ service: canary, port: 3000, weight: 20 }],
      moreListeners: dnsListeners({ service: dns, port: 53 }),
    });
    expect(status).toBe(200);
    expect(body.log.filter((l: any) => l.body.status === 'failed')).toEqual([]);
    const read = (file: string) =>
      yaml.parse(
        Buffer.from(
          body.directoryContents.find((f: any) => f.path === file)
            .base64Content,
          'base64',
        ).toString(),
      );
    expect(body.directoryContents.map((f: any) => f.path).sort()).toEqual(
      [
        'manifests/gateway-edge.yaml',
        'manifests/loadbalancerconfiguration-edge.yaml',
        'manifests/targetgroupconfiguration-backend.yaml',
        `manifests/targetgroupconfiguration-${canary}.yaml`,
        `manifests/targetgroupconfiguration-${dns}.yaml`,
        'manifests/tcproute-edge-dns-tcp.yaml',
        'manifests/tcproute-tcp-backend-aws.yaml',
        'manifests/udproute-edge-dns-udp.yaml',
      ].sort(),
    );
    expect(
      read('manifests/gateway-edge.yaml').spec.listeners.map(
        (l: any) => `${l.name} ${l.protocol} ${l.port}`,
      ),
    ).toEqual(['tcp-app TCP 8080', 'dns-tcp TCP 1053', 'dns-udp UDP 1053']);
    expect(
      read('manifests/tcproute-tcp-backend-aws.yaml').spec.rules[0].backendRefs,
    ).toEqual([
      { group: '', kind: 'Service', name: 'backend', port: 3000, weight: 80 },
      { group: '', kind: 'Service', name: canary, port: 3000, weight: 20 },
    ]);
    const text: string = body.output.text[0].content;
    expect(text).toContain(
      `backend:3000 (weight 80, 80% of new connections), ${canary}:3000 (weight 20, 20% of new connections)`,
    );
    expect(text).toContain(
      'Port 1053: listeners "dns-tcp" (TCP) and "dns-udp" (UDP) become ONE TCP_UDP load balancer listener.',
    );
  });

  it('fails the dry run at the render step, naming the more listener by its input field, when TCP and UDP on one port name different backends', async () => {
    const { status, body } = await dryRun({
      moreListeners: dnsListeners({ service: canary, port: 3000 }),
    });
    // A failing step fails the whole dry run: the API answers with its InputError.
    expect(status).toBe(400);
    expect(`${body.error.name}: ${body.error.message}`).toMatch(
      /^InputError: .*listeners\[2\]\.backends must be the same Services, ports and weights as route "edge-dns-tcp"'s.*\[tcp-udp-same-backends\]/s,
    );
  });
});
