/**
 * The sandbox's GitOps sync, as Flux or Argo CD would run it: polls one
 * branch of the GitOps repository (the git server's bare repository, read
 * with git's plumbing commands: nothing is checked out), and when its commit
 * changes applies the commit's objects to the cluster with server-side apply
 * and prunes what it applied before and the commit no longer has. A commit
 * that fails to apply is retried on every poll until it succeeds.
 */
import { execFile } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { abortableCall } from '@gateway-portal/plugin-aws-gateway-node';
import {
  DesiredObject,
  filesToRead,
  ObjectRef,
  parseManifestFile,
  planSync,
  refKey,
  Skipped,
  TreeFile,
} from './syncPlan';

export const SYNC_FIELD_MANAGER = 'gateway-portal-sandbox-sync';
const GIT_TIMEOUT_MS = 10_000;
const KUBE_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = { default: 1_500, min: 200 };

export interface GitOpsSyncOptions {
  /** The bare repository directory (<git root>/<name>.git). */
  gitDir: string;
  branch: string;
  kc: k8s.KubeConfig;
  pollIntervalMs?: number;
  log?: (message: string) => void;
}

export interface SyncStatus {
  /** The last commit applied in full. */
  appliedCommit?: string;
  /** What the sync applied and still owns. */
  inventory: ObjectRef[];
  lastError?: string;
}

function git(
  gitDir: string,
  args: string[],
  signal: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['--git-dir', gitDir, ...args],
      {
        signal,
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 16 << 20,
        // the repository's own config is all git reads; no system or global config
        env: {
          PATH: process.env.PATH,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          HOME: '/nonexistent',
        },
      },
      (error, stdout) =>
        error
          ? reject(new Error(`git ${args[0]}: ${error.message.split('\n')[0]}`))
          : resolve(stdout),
    );
  });
}

/** `git ls-tree -r -l -z` lines: `<mode> <type> <oid> <size>\t<path>`. */
function parseTree(out: string): Array<TreeFile & { oid: string }> {
  return out
    .split('\0')
    .filter(Boolean)
    .map(line => {
      const tab = line.indexOf('\t');
      const [mode, , oid, size] = line.slice(0, tab).split(/\s+/);
      return {
        mode,
        oid,
        path: line.slice(tab + 1),
        size: size === '-' ? 0 : Number(size),
      };
    });
}

/** A Kubernetes object client whose every request has a deadline and ends when the sync stops. */
function objectClient(
  kc: k8s.KubeConfig,
  stop: AbortSignal,
): k8s.KubernetesObjectApi {
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  const deadline = abortableCall(stop, KUBE_TIMEOUT_MS)!;
  const configuration = (client as any).configuration as k8s.Configuration;
  (client as any).configuration = {
    ...configuration,
    middleware: [...configuration.middleware, ...deadline.middleware],
  };
  return client;
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export class GitOpsSync {
  private readonly abort = new AbortController();
  private readonly client: k8s.KubernetesObjectApi;
  private readonly inventory = new Map<string, ObjectRef>();
  private appliedCommit?: string;
  private lastError?: string;
  private lastSkipped = '';
  private loop?: Promise<void>;
  private previousPass: Promise<unknown> = Promise.resolve();
  private readonly log: (message: string) => void;

  constructor(private readonly options: GitOpsSyncOptions) {
    this.client = objectClient(options.kc, this.abort.signal);
    this.log =
      options.log ?? (m => process.stderr.write(`[gitops-sync] ${m}\n`));
  }

  status(): SyncStatus {
    return {
      appliedCommit: this.appliedCommit,
      inventory: [...this.inventory.values()],
      lastError: this.lastError,
    };
  }

  /** One poll: applies the branch's commit unless it is the one applied last. Returns that commit. Passes never overlap. */
  syncOnce(): Promise<string> {
    const pass = this.previousPass.then(() => this.pass());
    this.previousPass = pass.catch(() => undefined);
    return pass;
  }

  private async pass(): Promise<string> {
    const signal = this.abort.signal;
    const { gitDir, branch } = this.options;
    const commit = (
      await git(
        gitDir,
        ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
        signal,
      )
    ).trim();
    if (commit === this.appliedCommit) return commit;
    const { read, skipped } = filesToRead(
      parseTree(
        await git(
          gitDir,
          ['ls-tree', '-r', '-l', '-z', '--full-tree', commit],
          signal,
        ),
      ),
    );
    const desired: DesiredObject[] = [];
    for (const file of read) {
      const parsed = parseManifestFile(
        file.path,
        await git(gitDir, ['cat-file', 'blob', file.oid], signal),
      );
      desired.push(...parsed.objects);
      skipped.push(...parsed.skipped);
    }
    this.reportSkipped(commit, skipped);
    const plan = planSync(desired, this.inventory.values());
    if (plan.conflicts.length)
      throw new Error(
        `commit ${commit.slice(
          0,
          8,
        )} names one object twice: ${plan.conflicts.join('; ')}`,
      );
    for (const object of plan.apply) {
      await this.client.patch(
        object.manifest as k8s.KubernetesObject,
        undefined,
        undefined,
        SYNC_FIELD_MANAGER,
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
      this.inventory.set(refKey(object.ref), object.ref);
    }
    for (const ref of plan.prune) {
      await this.client
        .delete({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        })
        .catch(e => {
          if ((e as { code?: number }).code !== 404) throw e;
        });
      this.inventory.delete(refKey(ref));
    }
    this.appliedCommit = commit;
    this.log(
      `applied ${commit.slice(0, 8)} of ${branch}: ${
        plan.apply.length
      } object(s) applied${
        plan.prune.length
          ? `, pruned ${plan.prune.map(describe).join(', ')}`
          : ''
      }`,
    );
    return commit;
  }

  private reportSkipped(commit: string, skipped: Skipped[]) {
    const text = skipped.map(s => `${s.source}: ${s.reason}`).join('; ');
    if (text && text !== this.lastSkipped)
      this.log(`commit ${commit.slice(0, 8)}: skipped ${text}`);
    this.lastSkipped = text;
  }

  /** Polls until stop(); a failed pass is logged once per distinct error and retried on the next poll. */
  start(): void {
    if (this.loop) return;
    const interval = Math.max(
      POLL_INTERVAL_MS.min,
      this.options.pollIntervalMs ?? POLL_INTERVAL_MS.default,
    );
    const { signal } = this.abort;
    this.loop = (async () => {
      while (!signal.aborted) {
        try {
          await this.syncOnce();
          this.lastError = undefined;
        } catch (e) {
          if (signal.aborted) break;
          const message = (e as Error).message ?? String(e);
          if (message !== this.lastError)
            this.log(`sync failed, retrying every ${interval} ms: ${message}`);
          this.lastError = message;
        }
        await new Promise(r => setTimeout(r, interval));
      }
    })();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }
}
