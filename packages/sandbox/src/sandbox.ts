/**
 * Starts the whole sandbox and returns how to wire the portal to it:
 * the test peers (moto behind the Pod Identity emulator, etcd + one
 * kube-apiserver with the Gateway API v1.6 / LBC CRDs from the Go module
 * proxy, the git server) with an EKS cluster, network and permissions boundary
 * in moto, a `platform-gitops` repository, the sample `backend` workload, the
 * GitOps sync from that repository's main branch, the controller stand-in as
 * a reconciler, and the controller's IAM policy on loopback.
 *
 * The sandbox is ephemeral: its state (etcd data, moto, repositories, the
 * portal overlay with the sandbox's credentials) lives in one temporary folder
 * that stop() removes; the next start begins empty. Only the peers' binaries
 * and the verified CRDs are cached (in the peers cache).
 */
import fs from 'node:fs';
import path from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import * as k8s from '@kubernetes/client-node';
import { FakeController } from '@gateway-portal/test-suite/fixtures/controller';
import {
  awsClientConfigFrom,
  CONTROLLER_BOUNDARY_DOCUMENT,
  createNetworkAt,
} from '@gateway-portal/test-suite/peers/aws';
import { cachePath } from '@gateway-portal/test-suite/peers/cache';
import {
  createBareRepoAt,
  PeersInfo,
  startPeers,
} from '@gateway-portal/test-suite/peers/harness';
import YAML from 'yaml';
import {
  lbcIamPolicy,
  prepareSandboxCrds,
  SANDBOX_PROFILE,
} from './crds/goModuleCrds';
import { GitOpsSync } from './gitops/GitOpsSync';
import { startGitFront } from './gitWeb/gitFront';
import { servePolicy } from './policyServer';
import { sandboxPortalConfig, sandboxPortalEnv } from './portalConfig';
import { ensureSampleWorkload } from './workload';

export const SANDBOX_CLUSTER = 'sandbox';
export const GITOPS_REPOSITORY = 'sandbox/platform-gitops';
export const GITOPS_BRANCH = 'main';
/** The environment variable through which the test peers read CRDs from a prepared folder (test/peers/crds.ts). */
const PEERS_CRD_DIR_ENV = 'PEERS_CRD_DIR';

export interface RunningSandbox {
  peers: PeersInfo;
  /** The app-config overlay (mode 0600: it holds the sandbox's credentials). */
  configFile: string;
  /** Environment for the portal's backend. */
  env: Record<string, string>;
  /** What a newcomer types into the templates. */
  values: {
    cluster: string;
    region: string;
    accountId: string;
    vpcId: string;
    repoUrl: string;
  };
  sync: GitOpsSync;
  controller: FakeController;
  kubeConfig: k8s.KubeConfig;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** Runs fn with one environment variable set, and puts the old value back. */
async function withEnv<T>(
  name: string,
  value: string,
  fn: () => Promise<T>,
): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/**
 * The portal runs with permissions on (app-config.yaml), so every role it
 * creates needs a boundary: what the controller's role may ever do.
 */
const PERMISSIONS_BOUNDARY = {
  PolicyName: 'sandbox-boundary',
  Path: '/boundaries/',
  PolicyDocument: CONTROLLER_BOUNDARY_DOCUMENT,
};

async function createAwsEnvironment(peers: PeersInfo) {
  const aws = peers.aws!;
  const network = await createNetworkAt(aws, SANDBOX_CLUSTER);
  const eks = new EKSClient(awsClientConfigFrom(aws));
  const iam = new IAMClient(awsClientConfigFrom(aws));
  try {
    await eks.send(
      new CreateClusterCommand({
        name: SANDBOX_CLUSTER,
        roleArn: `arn:aws:iam::${aws.accountId}:role/eks-cluster`,
        resourcesVpcConfig: { subnetIds: network.subnetIds },
      }),
    );
    const boundary = await iam.send(
      new CreatePolicyCommand(PERMISSIONS_BOUNDARY),
    );
    return { network, boundaryArn: boundary.Policy!.Arn! };
  } finally {
    eks.destroy();
    iam.destroy();
  }
}

export async function startSandbox(
  log: (message: string) => void = m =>
    process.stderr.write(`[sandbox] ${m}\n`),
): Promise<RunningSandbox> {
  const timings: Record<string, number> = {};
  const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const result = await fn();
    timings[label] = (Date.now() - t0) / 1000;
    return result;
  };
  const t0 = Date.now();
  const crdDir = await step('CRDs from the Go module proxy', () =>
    prepareSandboxCrds(cachePath('sandbox-crds')),
  );
  const policy = await step('controller IAM policy', () => lbcIamPolicy());
  const running = await step('peers', () =>
    withEnv(PEERS_CRD_DIR_ENV, crdDir, () =>
      startPeers(['aws', 'kube', 'git'], [SANDBOX_PROFILE]),
    ),
  );
  const stoppers: Array<() => Promise<void>> = [() => running.stop()];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) {
      try {
        await s();
      } catch (e) {
        log(`stop: ${(e as Error).message}`);
      }
    }
  };
  try {
    const peers = running.info;
    const aws = peers.aws!;
    const git = peers.git!;
    const profile = peers.kube!.profiles[SANDBOX_PROFILE];
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(profile.kubeconfig);

    const { network, boundaryArn } = await step(
      'AWS: network, EKS cluster, boundary',
      () => createAwsEnvironment(peers),
    );
    const gitDir = createBareRepoAt(git.root, GITOPS_REPOSITORY, {
      'README.md':
        '# platform-gitops (sandbox)\n\nWhat lands on main is applied to the sandbox cluster by its GitOps sync.\n',
    });
    // The portal and the browser reach the git server through its front, which adds the commit pages the portal links to.
    const gitFront = await startGitFront({
      upstream: git.baseUrl,
      repositories: { [GITOPS_REPOSITORY]: gitDir },
      log: m => log(`git: ${m}`),
    });
    stoppers.push(() => gitFront.close());
    const repoUrl = `${gitFront.baseUrl}${GITOPS_REPOSITORY}.git`;
    await step('sample workload', () =>
      ensureSampleWorkload(kubeConfig, aws.region),
    );

    const sync = new GitOpsSync({
      gitDir,
      branch: GITOPS_BRANCH,
      kc: kubeConfig,
      log: m => log(`gitops: ${m}`),
    });
    sync.start();
    stoppers.push(() => sync.stop());

    const elbv2 = new ElasticLoadBalancingV2Client(awsClientConfigFrom(aws));
    // Without it the stand-in would ask the test suite's PEERS_FILE for an AWS endpoint.
    const ec2 = new EC2Client(awsClientConfigFrom(aws));
    const controller = new FakeController({
      kc: kubeConfig,
      elbv2,
      ec2,
      network,
      clusterName: SANDBOX_CLUSTER,
      routeVersion: 'v1',
      log: m => log(`controller: ${m}`),
    });
    controller.start({ pollIntervalMs: 1000 });
    stoppers.push(async () => {
      await controller.stop();
      elbv2.destroy();
      ec2.destroy();
    });

    const policyServer = await servePolicy(policy.release, policy.document);
    stoppers.push(() => policyServer.close());

    const configFile = path.join(peers.workDir, 'app-config.sandbox.yaml');
    const config = sandboxPortalConfig({
      peers,
      cluster: SANDBOX_CLUSTER,
      kubeServer: profile.server,
      gitBaseUrl: gitFront.baseUrl,
      repoUrl,
      policyUrlTemplate: policyServer.urlTemplate,
      permissionsBoundaryArn: boundaryArn,
    });
    fs.writeFileSync(
      configFile,
      `# Written by the sandbox (packages/sandbox); removed when it stops.\n${YAML.stringify(
        config,
      )}`,
      {
        mode: 0o600,
      },
    );
    timings.total = (Date.now() - t0) / 1000;
    return {
      peers,
      configFile,
      env: sandboxPortalEnv(peers),
      values: {
        cluster: SANDBOX_CLUSTER,
        region: aws.region,
        accountId: aws.accountId,
        vpcId: network.vpcId,
        repoUrl,
      },
      sync,
      controller,
      kubeConfig,
      timings,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
