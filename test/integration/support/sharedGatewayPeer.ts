/**
 * The platform's shared Gateway for the portal tests: live on the v1.6 API
 * server (as its GitOps agent applied it) and in its own repository on the git
 * peer, with the `awsGateway.provisioning.sharedGateways` entry that names it.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { GitOpsRepository } from '@gateway-portal/plugin-aws-gateway-node';
import type { JsonObject } from '@backstage/types';
import yaml from 'yaml';
import { CLUSTER_FOR_PROFILE } from '../../e2e/portalConfig';
import {
  createBareRepo,
  kubeConfigFor,
  PROFILE_V16,
  uniqueName,
} from '../../peers';
import { pushBranchByHand } from './gitCli';
import { gitopsConfig } from './gitopsActions';
import { serverSideApply } from './serverSideApply';
import { BareRepo } from './templatesPortal';

/** Where the Gateway's manifest lives in its repository. */
export const SHARED_GATEWAY_FILE = 'platform/gateways/shared-nlb.yaml';

export interface PeerSharedGateway {
  /** `<cluster>/<namespace>/shared-nlb`, as the form and the actions name it. */
  id: string;
  namespace: string;
  repo: BareRepo;
  /** Its clone URL. */
  repoUrl: string;
  /** The configuration entry (listener ports 20000-20099, routes from every namespace). */
  entry: JsonObject;
}

/** A platform listener beyond `platform-dns` (UDP 20000), live and in the manifest. */
export interface PlatformListener {
  name: string;
  protocol: 'TCP' | 'UDP';
  port: number;
}

export async function createPeerSharedGateway(
  options: { title?: string; listeners?: PlatformListener[] } = {},
): Promise<PeerSharedGateway> {
  const kube = kubeConfigFor(PROFILE_V16);
  const namespace = uniqueName('platform-gw');
  await kube
    .makeApiClient(k8s.CoreV1Api)
    .createNamespace({ body: { metadata: { name: namespace } } });
  const manifest = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'shared-nlb', namespace },
    spec: {
      gatewayClassName: 'aws-nlb',
      listeners: [
        { name: 'platform-dns', protocol: 'UDP', port: 20000 },
        ...(options.listeners ?? []),
      ],
    },
  };
  // The platform's own comment, which every edit of the portal must keep.
  const gateway = `# The platform team's shared NLB.\n${yaml.stringify(
    manifest,
  )}`;
  await serverSideApply(
    k8s.KubernetesObjectApi.makeApiClient(kube),
    manifest,
    'gitops-agent',
    [],
  );
  const name = `platform/${uniqueName('shared-gitops')}`;
  const repoUrl = createBareRepo(name, { [SHARED_GATEWAY_FILE]: gateway });
  const cluster = CLUSTER_FOR_PROFILE[PROFILE_V16];
  return {
    id: `${cluster}/${namespace}/shared-nlb`,
    namespace,
    repo: new BareRepo(name),
    repoUrl,
    entry: {
      cluster,
      namespace,
      name: 'shared-nlb',
      ...(options.title ? { title: options.title } : {}),
      gitops: { repoUrl, path: SHARED_GATEWAY_FILE },
      listenerPorts: ['20000-20099'],
      allowedRoutes: { from: 'All' },
    },
  };
}

/**
 * Another developer's expose still under review: a branch of the portal's
 * shape (`aws-gateway/shared-…`) adding `listener` to the manifest, pushed by
 * hand, and its pull request opened on the peer's Gitea API.
 */
export async function openPeerReview(
  shared: PeerSharedGateway,
  branch: string,
  edit: (manifestPath: string) => void,
): Promise<{ number: number; url: string }> {
  pushBranchByHand(
    shared.repo.dir,
    branch,
    work => edit(path.join(work, SHARED_GATEWAY_FILE)),
    `review ${branch}`,
  );
  const opener = await GitOpsRepository.fromConfig(
    gitopsConfig(),
  ).pullRequestOpener(shared.repoUrl);
  return opener.open({ head: branch, base: 'main', title: branch });
}

/** The manifest edit of a review adding a listener. */
export const addListener =
  (l: PlatformListener) =>
  (manifestPath: string): void =>
    fs.appendFileSync(
      manifestPath,
      // The manifest's list style (yaml.stringify indents a sequence under its key).
      `    - name: ${l.name}\n      protocol: ${l.protocol}\n      port: ${l.port}\n`,
    );
