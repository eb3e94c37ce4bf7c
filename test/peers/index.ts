/**
 * What test files import. The peers are started once per jest run by
 * jest-global-setup.ts (or by `./run peers start`); their description is the
 * JSON file named by env PEERS_FILE.
 *
 *   const peers = loadPeers();
 *   const kc = kubeConfigFor('gateway-api-v1.6');
 *   const iam = new IAMClient(awsClientConfig());
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import {
  AwsPeerInfo,
  awsClientConfigFrom,
  createNetworkAt,
  Network,
  resetAwsAt,
} from './aws';
import { createBareRepoAt, peerUserToken } from './git-server';
import { referenceDir } from './cache';
import type { PeersInfo } from './harness';

export type { PeersInfo, Network, AwsPeerInfo };
export { observeAwsCalls } from './aws';
export const PROFILE_V16 = 'gateway-api-v1.6';
export const PROFILE_V13 = 'gateway-api-v1.3';

let cached: PeersInfo | undefined;

export function loadPeers(): PeersInfo {
  if (cached) return cached;
  const file = process.env.PEERS_FILE;
  if (!file) {
    throw new Error(
      'PEERS_FILE is not set: run tests through test/jest.config.js (its globalSetup starts the peers) ' +
        'or start them with `./run peers start` and export the PEERS_FILE it prints.',
    );
  }
  if (!fs.existsSync(file))
    throw new Error(`PEERS_FILE ${file} does not exist (peers stopped?)`);
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as PeersInfo;
  return cached;
}

function need<K extends 'aws' | 'kube' | 'git'>(
  k: K,
): NonNullable<PeersInfo[K]> {
  const p = loadPeers();
  const v = p[k];
  if (!v) {
    throw new Error(
      `peer "${k}" was not started (PEERS_COMPONENTS=${p.components.join(
        ',',
      )}); include it to run this test`,
    );
  }
  return v as NonNullable<PeersInfo[K]>;
}

export function awsPeer(): AwsPeerInfo {
  return need('aws');
}

/** Config for any AWS SDK v3 client: `new IAMClient(awsClientConfig())`. */
export function awsClientConfig() {
  return awsClientConfigFrom(need('aws'));
}

/** The `aws` config section (integration-aws-node) with the peer's account and keys. */
export function awsAccountsConfig(aws: AwsPeerInfo = need('aws')) {
  return {
    accounts: [
      {
        accountId: aws.accountId,
        accessKeyId: aws.accessKeyId,
        secretAccessKey: aws.secretAccessKey,
      },
    ],
  };
}

/** Forgets every AWS resource (moto + the Pod Identity emulator). */
export function resetAws(): Promise<void> {
  return resetAwsAt(need('aws'));
}

/** VPC + two subnets in two AZs tagged kubernetes.io/role/elb=1. */
export function createNetwork(clusterName?: string): Promise<Network> {
  return createNetworkAt(need('aws'), clusterName);
}

export function kubeconfigPath(profile: string): string {
  const kube = need('kube');
  const p = kube.profiles[profile];
  if (!p) {
    throw new Error(
      `no kube-apiserver for profile "${profile}" (started: ${Object.keys(
        kube.profiles,
      ).join(', ')}); set PEERS_PROFILES`,
    );
  }
  return p.kubeconfig;
}

/** An admin (system:masters) KubeConfig for the API server of one CRD profile. */
export function kubeConfigFor(profile: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath(profile));
  return kc;
}

export function gitPeer() {
  return need('git');
}

/** The token of one of the git peer's users (alice, bob): what RepoUrlPicker would get when that user signs in. */
export function gitUserToken(login: 'alice' | 'bob'): string {
  return peerUserToken(need('git').password, login);
}

/** A git peer user's Azure DevOps identity id (Azure DevOps takes reviewers by id). */
export { peerUserId as gitUserAzureId } from './forge-apis';

/** Which login pushed to which repository (`owner/repo`), oldest first, as the git peer recorded it. */
export async function gitPushes(): Promise<
  Array<{ repository: string; login: string }>
> {
  return (await gitPeerControl('pushes')).json();
}

/** The git peer's record of a repository's pull requests (owner/repo), whichever API opened them: state and comments. */
export async function gitPeerPulls(repository: string): Promise<
  Array<{
    number: number;
    title: string;
    body: string;
    state: string;
    comments: string[];
  }>
> {
  return (
    await gitPeerControl(`pulls?repository=${encodeURIComponent(repository)}`)
  ).json();
}

/** Makes the git peer refuse (403) or allow closing and retitling a repository's (owner/repo) pull requests. */
export async function gitPeerRefuseEdits(
  repository: string,
  refuse: boolean,
): Promise<void> {
  await gitPeerControl(
    `refuse-edits?repository=${encodeURIComponent(repository)}&refuse=${
      refuse ? 1 : 0
    }`,
    'POST',
  );
}

/** Adds `count` comments by others to pull request `number` of a repository (owner/repo), whichever API opened it. */
export async function gitPeerAddComments(
  repository: string,
  number: number,
  count: number,
): Promise<void> {
  await gitPeerControl(
    `comments?${new URLSearchParams({
      repository,
      number: String(number),
      count: String(count),
    })}`,
    'POST',
  );
}

/**
 * Has the git peer delete a comment while a client reads pull request
 * `number`'s comments page after page (GitHub, GitLab): once page `page` is
 * served, the first comment on it is deleted, once.
 */
export async function gitPeerDeleteCommentOnPage(
  repository: string,
  number: number,
  page: number,
): Promise<void> {
  await gitPeerControl(
    `delete-comment-on-page?${new URLSearchParams({
      repository,
      number: String(number),
      page: String(page),
    })}`,
    'POST',
  );
}

/** A request to the git peer's own test endpoints (/_peer/…), as its user. */
async function gitPeerControl(what: string, method = 'GET') {
  const git = need('git');
  const res = await fetch(`${git.baseUrl}_peer/${what}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(
        `${git.user}:${git.password}`,
      ).toString('base64')}`,
    },
  });
  if (!res.ok) throw new Error(`git peer ${what}: HTTP ${res.status}`);
  return res;
}

/** Creates a bare repository with an initial commit on main; returns its clone URL (no credentials in it). */
export function createBareRepo(
  name: string,
  files?: Record<string, string>,
): string {
  const git = need('git');
  createBareRepoAt(git.root, name, files);
  return `${git.baseUrl}${name}.git`;
}

/** A unique, DNS-safe name for per-test resources. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random()
    .toString(36)
    .slice(2, 7)}`;
}

/** A file of the shared reference data (CRDs, LBC IAM policy); never copied into the repo. */
export function referencePath(...parts: string[]): string {
  return path.join(referenceDir(), ...parts);
}
