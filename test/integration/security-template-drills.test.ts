/**
 * Fault drills during each template (issue 9): the AWS endpoint or the
 * kube-apiserver stops answering while a template runs through the real
 * scaffolder REST API. Each drill measures until the task ends and checks:
 * it ends in bounded time with a clear error,
 * no internal address or secret in what the user reads, nothing half-written
 * that a re-run does not finish; then the peer resumes, a re-run completes and
 * a third run changes nothing. Timings are printed as a table.
 *
 * The peers are never SIGSTOPped (other files share them): the portal reaches
 * AWS and the kube-apiserver of the first profile through stallable TCP
 * proxies (TLS passes through; the API server's certificate is for 127.0.0.1).
 */
import fs from 'node:fs';
import {
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import {
  awsClientConfig,
  awsPeer,
  gitPeer,
  kubeConfigFor,
  loadPeers,
  PROFILE_V16,
} from '../peers';
import { CLUSTER_FOR_PROFILE } from '../e2e/portalConfig';
import { startStallableProxy, StallableProxy } from '../load/stallableProxy';
import { TaskResult } from './support/scaffolderClient';
import {
  ensureBackendService,
  startTemplatesPortal,
  TemplatesPortal,
} from './support/templatesPortal';
import { freshGitOpsRepo } from './support/freshGitOpsRepo';

/** awsGateway.provisioning.aws.requestTimeoutSeconds of the drill's portal (default 15). */
const AWS_REQUEST_TIMEOUT_SECONDS = 4;
/** The scaffolder's AWS clients: 3 attempts (AwsClientFactory default) of at most the configured deadline each, plus backoff and the task's other steps. */
const AWS_STALL_BOUND_MS = 3 * AWS_REQUEST_TIMEOUT_SECONDS * 1000 + 15_000;

let env: TemplatesPortal;
let awsStall: StallableProxy;
let kubeStall: StallableProxy;
let iam: IAMClient;
let eks: EKSClient;
let cluster: string;
let createdService = false;
const timings: Array<{
  drill: string;
  stalledMs: number;
  rerunMs: number;
  thirdMs: number;
}> = [];

beforeAll(async () => {
  const peers = loadPeers();
  if (!peers.aws || !peers.kube)
    throw new Error('the template drills need the aws, kube and git peers');
  const server = peers.kube.profiles[PROFILE_V16]?.server;
  if (!server)
    throw new Error(
      `profile ${PROFILE_V16} is not running; set PEERS_PROFILES`,
    );
  cluster = CLUSTER_FOR_PROFILE[PROFILE_V16];
  awsStall = await startStallableProxy(peers.aws.endpoint);
  kubeStall = await startStallableProxy(server);
  const caData = fs.readFileSync(peers.kube.caFile).toString('base64');
  const kubeThroughProxy = `https://127.0.0.1:${
    new URL(kubeStall.endpoint).port
  }`;
  env = await startTemplatesPortal('template-drills', {
    awsUpstream: awsStall.endpoint,
    awsRequestTimeoutSeconds: AWS_REQUEST_TIMEOUT_SECONDS,
    extraOverlay: {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: Object.entries(peers.kube.profiles).map(
              ([profile, p]) => ({
                name: CLUSTER_FOR_PROFILE[profile] ?? profile,
                url: profile === PROFILE_V16 ? kubeThroughProxy : p.server,
                authProvider: 'serviceAccount',
                serviceAccountToken: peers.kube!.adminToken,
                caData,
              }),
            ),
          },
        ],
      },
    },
  });
  expect(env.portal.startupErrors).toEqual([]);
  iam = new IAMClient({ ...awsClientConfig(), maxAttempts: 1 });
  eks = new EKSClient({ ...awsClientConfig(), maxAttempts: 1 });
  createdService = await ensureBackendService(kubeConfigFor(PROFILE_V16));
}, 900_000);

afterAll(async () => {
  awsStall?.resume();
  kubeStall?.resume();
  if (createdService) {
    const k8s = await import('@kubernetes/client-node');
    await kubeConfigFor(PROFILE_V16)
      .makeApiClient(k8s.CoreV1Api)
      .deleteNamespacedService({ name: 'backend', namespace: 'default' })
      .catch(() => undefined);
  }
  iam?.destroy();
  eks?.destroy();
  await env?.stop();
  await awsStall?.close();
  await kubeStall?.close();
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  console.log(
    [
      'Template fault drills (time until the task ended):',
      row(['drill', 'stalled run (until it failed)', 're-run', 'third run']),
      row(['---', '---', '---', '---']),
      ...timings.map(t =>
        row([
          t.drill,
          `${(t.stalledMs / 1000).toFixed(1)} s`,
          `${(t.rerunMs / 1000).toFixed(1)} s`,
          `${(t.thirdMs / 1000).toFixed(1)} s`,
        ]),
      ),
    ].join('\n'),
  );
});

function expectCompleted(result: TaskResult) {
  if (result.status !== 'completed') {
    throw new Error(
      `task ${result.id} ${result.status}:\n${result.log
        .slice(-15)
        .join('\n')}`,
    );
  }
}

/** The failed step's error message, from the task's completion event. */
function failure(result: TaskResult): string {
  expect(result.status).toBe('failed');
  const message = result.events.find(e => e.type === 'completion')?.body.error
    ?.message;
  if (!message)
    throw new Error(
      `task ${result.id} failed without an error message:\n${result.log
        .slice(-15)
        .join('\n')}`,
    );
  return message;
}

/** Nothing internal in what the user reads: the peers' addresses (proxied or not) and secrets. */
function expectNothingInternal(text: string) {
  const peers = loadPeers();
  for (const secret of [
    peers.kube!.adminToken,
    gitPeer().password,
    peers.aws!.secretAccessKey,
  ]) {
    expect(text).not.toContain(secret);
  }
  for (const address of [
    peers.aws!.endpoint,
    awsStall.endpoint,
    env.proxy.endpoint,
    kubeStall.endpoint,
    peers.kube!.profiles[PROFILE_V16].server,
  ]) {
    expect(text).not.toContain(new URL(address).host);
  }
}

/** Resolves once `check` holds, polling every 10 ms; fails after `timeoutMs`. */
async function when(
  check: () => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 10));
  }
}

/** Every log line and the completion error of a task. */
const errorText = (result: TaskResult) =>
  [...result.log, ...result.events.map(e => e.body.error?.message ?? '')].join(
    '\n',
  );

/** Each step's last status (processing, completed, failed, skipped, cancelled). */
function stepStatuses(result: TaskResult): Record<string, string> {
  const statuses: Record<string, string> = {};
  for (const { body } of result.events)
    if (body.stepId && body.status) statuses[body.stepId] = body.status;
  return statuses;
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (e) {
    if (e instanceof NoSuchEntityException) return false;
    throw e;
  }
}

it('controller-setup with the AWS endpoint stalled after the IAM policy is written: fails in bounded time, the commit is not made, a re-run finishes the job and a third run changes nothing', async () => {
  const { accountId } = awsPeer();
  const name = `backstage-lbc-${cluster}`;
  const policyArn = `arn:aws:iam::${accountId}:policy/backstage/${name}`;
  const {
    repo,
    values: { controller: values },
  } = await freshGitOpsRepo(env, cluster, 'drill-controller');
  const headBefore = repo.head();
  expect(
    await exists(() =>
      iam.send(new GetPolicyCommand({ PolicyArn: policyArn })),
    ),
  ).toBe(false);

  env.proxy.reset();
  const started = Date.now();
  const running = env.client.runTask(
    'template:default/controller-setup',
    values,
    240_000,
  );
  // Stall right after the first AWS write answered: the task is half way through its AWS steps.
  await when(
    () =>
      env.proxy.calls.some(
        c => c.operation === 'CreatePolicy' && c.status === 200,
      ),
    'CreatePolicy',
  );
  awsStall.stall();
  let stalled: TaskResult;
  try {
    stalled = await running;
  } finally {
    awsStall.resume();
  }
  const stalledMs = Date.now() - started;
  const message = failure(stalled);
  console.log(
    `controller-setup, AWS stalled: failed after ${stalledMs} ms: ${message}`,
  );
  expect(stalledMs).toBeLessThan(AWS_STALL_BOUND_MS);
  // The step whose AWS call stalled failed; the later ones, the commit included, never ran.
  expect(stepStatuses(stalled)).toEqual(
    expect.objectContaining({
      plan: 'completed',
      policy: 'completed',
      role: 'failed',
      association: 'skipped',
      commit: 'skipped',
    }),
  );
  expectNothingInternal([message, ...stalled.log].join('\n'));

  // Nothing half-written the re-run cannot finish: the policy is whole, the commit (the last step) was not made.
  expect(
    await exists(() =>
      iam.send(new GetPolicyCommand({ PolicyArn: policyArn })),
    ),
  ).toBe(true);
  expect(repo.head()).toBe(headBefore);
  expect(repo.branches()).toEqual(['main']);

  env.proxy.reset();
  const rerun = await env.client.runTask(
    'template:default/controller-setup',
    values,
  );
  expectCompleted(rerun);
  expect(env.proxy.mutating().map(c => c.operation)).not.toContain(
    'CreatePolicy',
  );
  expect(
    (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Path,
  ).toBe('/backstage/');
  const attached = await iam.send(
    new ListAttachedRolePoliciesCommand({ RoleName: name }),
  );
  expect(attached.AttachedPolicies?.map(p => p.PolicyArn)).toEqual([policyArn]);
  const associations = await eks.send(
    new ListPodIdentityAssociationsCommand({ clusterName: cluster }),
  );
  expect(
    associations.associations?.map(a => [a.namespace, a.serviceAccount]),
  ).toEqual([['kube-system', 'aws-load-balancer-controller']]);
  const headAfterRerun = repo.head();
  expect(headAfterRerun).not.toBe(headBefore);
  expect(repo.commitCount()).toBe(2);

  env.proxy.reset();
  const third = await env.client.runTask(
    'template:default/controller-setup',
    values,
  );
  expectCompleted(third);
  expect(env.proxy.mutating()).toEqual([]);
  expect(repo.head()).toBe(headAfterRerun);
  timings.push({
    drill: 'controller-setup, AWS stalled after CreatePolicy',
    stalledMs,
    rerunMs: rerun.durationMs,
    thirdMs: third.durationMs,
  });
}, 600_000);

/*
 * Each Kubernetes call of the render step has a deadline of its own
 * (KUBERNETES_CALL_TIMEOUT_MS, 10 s) besides the step's cancellation: with the
 * API server stalled the task fails on its own, says what did not answer,
 * writes nothing, and a re-run after the API server resumes finishes the job.
 */
it('expose-tcp-endpoint with the kube-apiserver stalled: fails in bounded time with a clear error, nothing is written, a re-run finishes the job and a third run changes nothing', async () => {
  const {
    repo,
    values: { expose: values },
  } = await freshGitOpsRepo(env, cluster, 'drill-expose');
  const headBefore = repo.head();

  env.proxy.reset();
  kubeStall.stall();
  let stalled: TaskResult;
  try {
    stalled = await env.client.runTask(
      'template:default/expose-tcp-endpoint',
      values,
      120_000,
    );
  } finally {
    kubeStall.resume();
  }
  console.log(
    `expose-tcp-endpoint, kube-apiserver stalled: ${stalled.status} after ${stalled.durationMs} ms`,
  );
  expect(stalled.status).toBe('failed');
  expect(stalled.durationMs).toBeLessThan(45_000);
  expect(errorText(stalled)).toMatch(/API server did not answer within 10 s/);
  expect(stepStatuses(stalled)).toEqual(
    expect.objectContaining({ commit: 'skipped' }),
  );
  expectNothingInternal(stalled.log.join('\n'));
  expect(env.proxy.mutating()).toEqual([]);
  expect(repo.head()).toBe(headBefore);
  expect(repo.branches()).toEqual(['main']);

  const rerun = await env.client.runTask(
    'template:default/expose-tcp-endpoint',
    values,
  );
  expectCompleted(rerun);
  const headAfterRerun = repo.head();
  expect(headAfterRerun).not.toBe(headBefore);
  expect(repo.commitCount()).toBe(2);

  const third = await env.client.runTask(
    'template:default/expose-tcp-endpoint',
    values,
  );
  expectCompleted(third);
  expect(repo.head()).toBe(headAfterRerun);
  expect(env.proxy.mutating()).toEqual([]);
  timings.push({
    drill: 'expose-tcp-endpoint, kube-apiserver stalled',
    stalledMs: stalled.durationMs,
    rerunMs: rerun.durationMs,
    thirdMs: third.durationMs,
  });
}, 600_000);
