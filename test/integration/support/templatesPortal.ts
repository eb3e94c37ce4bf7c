/**
 * The real portal (backend + built frontend) wired to the peers, as the
 * end-to-end template tests need it: moto EKS clusters named like the
 * Kubernetes clusters (the Pod Identity emulator checks they exist), a
 * permissions boundary, a loopback mirror of the controller's published IAM
 * policy, and every AWS request going through a counting proxy.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import * as k8s from '@kubernetes/client-node';
import { ensureAppBuilt, RunningPortal, startPortal } from '../../e2e/portal';
import {
  CLUSTER_FOR_PROFILE,
  PortalPeersOptions,
  portalEnvForPeers,
  portalOverlayForPeers,
} from '../../e2e/portalConfig';
import { CONTROLLER_BOUNDARY_DOCUMENT } from '../../peers/aws';
import {
  awsClientConfig,
  awsPeer,
  createNetwork,
  gitPeer,
  loadPeers,
  referencePath,
  resetAws,
} from '../../peers';
import { CountingProxy, startCountingProxy } from './countingProxy';
import { PortalClient } from './scaffolderClient';

export interface TemplatesPortal {
  portal: RunningPortal;
  client: PortalClient;
  proxy: CountingProxy;
  /** The permissions boundary every role gets (awsGateway.provisioning.iam.permissionsBoundaryArn). */
  boundaryArn: string;
  vpcId: string;
  /** Profiles whose kube-apiserver is running, with their cluster name. */
  profiles: Array<{ profile: string; cluster: string }>;
  stop(): Promise<void>;
}

/** Serves <reference>/lbc-<version>-iam_policy.json at /<version>/iam_policy.json, like the raw GitHub URL. */
export function servePolicyMirror(): Promise<{
  template: string;
  close(): Promise<void>;
}> {
  const server = http.createServer((req, res) => {
    const m = /^\/(v\d+\.\d+\.\d+)\/iam_policy\.json$/.exec(req.url ?? '');
    const file = m && referencePath(`lbc-${m[1]}-iam_policy.json`);
    if (file && fs.existsSync(file))
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(fs.readFileSync(file));
    else res.writeHead(404).end();
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        template: `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/{version}/iam_policy.json`,
        close: () =>
          new Promise(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    ),
  );
}

/** The permissions boundary every managed role must get (awsGateway.provisioning.iam.permissionsBoundaryArn); its ARN. */
export async function createPlatformBoundary(iam: IAMClient): Promise<string> {
  const boundary = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'platform-boundary',
      Path: '/boundaries/',
      PolicyDocument: CONTROLLER_BOUNDARY_DOCUMENT,
    }),
  );
  return boundary.Policy!.Arn!;
}

/** Extra configuration for one portal: who may run which action, sign-in. */
export type TemplatesPortalOptions = Pick<
  PortalPeersOptions,
  'permissions' | 'extraOverlay'
> & {
  /** Where the counting proxy forwards the portal's AWS calls; default the AWS peer (a fault drill puts a stallable proxy here). */
  awsUpstream?: string;
  /** awsGateway.provisioning.aws.requestTimeoutSeconds (a fault drill shortens the wait for a stalled AWS). */
  awsRequestTimeoutSeconds?: number;
};

/** The peers overlay with the provisioning actions' AWS attempt deadline, when given. */
function withAwsRequestTimeout(
  overlay: Record<string, any>,
  seconds: number | undefined,
): Record<string, unknown> {
  if (seconds === undefined) return overlay;
  const awsGateway = overlay.awsGateway ?? {};
  return {
    ...overlay,
    awsGateway: {
      ...awsGateway,
      provisioning: {
        ...awsGateway.provisioning,
        aws: { requestTimeoutSeconds: seconds },
      },
    },
  };
}

export async function startTemplatesPortal(
  name: string,
  options: TemplatesPortalOptions = {},
): Promise<TemplatesPortal> {
  const peers = loadPeers();
  if (!peers.aws || !peers.kube || !peers.git)
    throw new Error('the template tests need the aws, kube and git peers');
  ensureAppBuilt();
  await resetAws();
  const profiles = Object.keys(peers.kube.profiles).map(profile => ({
    profile,
    cluster: CLUSTER_FOR_PROFILE[profile] ?? profile,
  }));
  const network = await createNetwork(profiles[0].cluster);
  const eks = new EKSClient(awsClientConfig());
  const iam = new IAMClient(awsClientConfig());
  let boundaryArn: string;
  try {
    for (const { cluster } of profiles) {
      await eks.send(
        new CreateClusterCommand({
          name: cluster,
          roleArn: `arn:aws:iam::${peers.aws.accountId}:role/eks-cluster`,
          resourcesVpcConfig: { subnetIds: network.subnetIds },
        }),
      );
    }
    boundaryArn = await createPlatformBoundary(iam);
  } finally {
    eks.destroy();
    iam.destroy();
  }

  const mirror = await servePolicyMirror();
  const proxy = await startCountingProxy(
    options.awsUpstream ?? peers.aws.endpoint,
  );
  let portal: RunningPortal | undefined;
  try {
    portal = await startPortal({
      name,
      overlay: withAwsRequestTimeout(
        portalOverlayForPeers(peers, {
          permissions: options.permissions,
          extraOverlay: options.extraOverlay,
          policyUrlTemplate: mirror.template,
          permissionsBoundaryArn: boundaryArn,
        }),
        options.awsRequestTimeoutSeconds,
      ),
      env: { ...portalEnvForPeers(peers), AWS_ENDPOINT_URL: proxy.endpoint },
    });
    const client = await PortalClient.signInAsGuest(portal.baseUrl);
    await client.waitForEntity('template', 'default', 'controller-setup');
    await client.waitForEntity('template', 'default', 'expose-tcp-endpoint');
    await client.waitForEntity('component', 'default', 'backend');
    const running = portal;
    return {
      portal: running,
      client,
      proxy,
      boundaryArn,
      vpcId: network.vpcId,
      profiles,
      stop: async () => {
        await running.stop();
        await proxy.close();
        await mirror.close();
      },
    };
  } catch (e) {
    await portal?.stop();
    await proxy.close();
    await mirror.close();
    throw e;
  }
}

/** The values the create form starts with: every parameter's default. */
export function formDefaults(template: any): Record<string, unknown> {
  const steps: any[] = Array.isArray(template.spec.parameters)
    ? template.spec.parameters
    : [template.spec.parameters];
  const values: Record<string, unknown> = {};
  for (const step of steps) {
    for (const [key, schema] of Object.entries<any>(step.properties ?? {})) {
      if (schema.default !== undefined) values[key] = schema.default;
    }
  }
  return values;
}

/** Read-only views of a bare repository on the git peer. */
export class BareRepo {
  constructor(readonly name: string) {}

  get dir(): string {
    return path.join(gitPeer().root, `${this.name}.git`);
  }

  private git(args: string[]): string {
    return execFileSync('git', ['--git-dir', this.dir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();
  }

  head(branch = 'main'): string {
    return this.git(['rev-parse', `refs/heads/${branch}`]);
  }

  branches(): string[] {
    return this.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'])
      .split('\n')
      .filter(Boolean)
      .sort();
  }

  commitCount(branch = 'main'): number {
    return Number(this.git(['rev-list', '--count', branch]));
  }

  files(ref = 'main', under = ''): string[] {
    const out = this.git([
      'ls-tree',
      '-r',
      '--name-only',
      ref,
      ...(under ? ['--', under] : []),
    ]);
    return out.split('\n').filter(Boolean).sort();
  }

  show(ref: string, file: string): string {
    return this.git(['show', `${ref}:${file}`]);
  }

  message(ref = 'main'): string {
    return this.git(['log', '-1', '--format=%B', ref]);
  }
}

/** Creates the Service the expose template routes to, unless it exists; returns whether it created it. */
export async function ensureBackendService(
  kc: k8s.KubeConfig,
  namespace = 'default',
): Promise<boolean> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  try {
    await core.readNamespacedService({ name: 'backend', namespace });
    return false;
  } catch {
    await core.createNamespacedService({
      namespace,
      body: {
        metadata: {
          name: 'backend',
          labels: { 'backstage.io/kubernetes-id': 'backend' },
        },
        spec: {
          type: 'ClusterIP',
          ports: [{ name: 'tcp', port: 3000, targetPort: 3000 }],
        },
      },
    });
    return true;
  }
}

/** Deletes the Service ensureBackendService created (only when it did); one already gone is fine. */
export async function removeBackendService(
  kc: k8s.KubeConfig,
  created: boolean,
  namespace = 'default',
): Promise<void> {
  if (!created) return;
  await kc
    .makeApiClient(k8s.CoreV1Api)
    .deleteNamespacedService({ name: 'backend', namespace })
    .catch(() => undefined);
}

/**
 * Portal overlay: the guest signs in with these ownership refs besides its
 * own user (as a catalog group membership would give).
 */
export function guestOwnershipOverlay(...groups: string[]) {
  return {
    auth: {
      providers: {
        guest: { ownershipEntityRefs: ['user:development/guest', ...groups] },
      },
    },
  };
}

/**
 * What a user submits for each template on one cluster: the form's defaults,
 * plus the cluster, its account and region, a source CIDR and the repository.
 */
export async function templateValues(
  env: TemplatesPortal,
  cluster: string,
  repoUrl: string,
): Promise<{
  controller: Record<string, unknown>;
  expose: Record<string, unknown>;
}> {
  const { accountId, region } = awsPeer();
  return {
    controller: {
      ...formDefaults(
        await env.client.getEntity('template', 'default', 'controller-setup'),
      ),
      cluster,
      region,
      accountId,
      repoUrl,
    },
    expose: {
      ...formDefaults(
        await env.client.getEntity(
          'template',
          'default',
          'expose-tcp-endpoint',
        ),
      ),
      cluster,
      // The classic example: internet-facing (the form's default is internal) for these source CIDRs.
      scheme: 'internet-facing',
      sourceCidrs: ['203.0.113.0/24'],
      repoUrl,
    },
  };
}
