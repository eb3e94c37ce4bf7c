/**
 * The peers' own floor: the calls a measured read made, replayed by a bare
 * client (no status service, no watch cache, no caches of ours) with no
 * latency injected. What a latency goal allows beyond its round trips must
 * cover this floor before any product code runs, so it says how much of a
 * read's floor is ours and how much any client would pay on these peers and
 * this machine (moto answers one call after another; the API server shares
 * the two cores).
 */
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as k8s from '@kubernetes/client-node';
import http2 from 'node:http2';
import { Agent, request, RequestOptions } from 'node:https';
import type { ResourceVersion } from '@gateway-portal/plugin-aws-gateway-backend/testUtils';

/** The calls one read made, as the benchmark's counters saw them. */
export interface RecordedCalls {
  lists: Array<{
    resource: ResourceVersion;
    options: { labelSelector?: string; fieldSelector?: string; limit: number };
  }>;
  aws: Array<{ operation: string; input: object }>;
}

/** Where the bare client sends the replayed calls. */
export interface PeerFloorTarget {
  kc: k8s.KubeConfig;
  aws: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}

export interface PeerFloor {
  ms: number;
  /** This process's CPU meanwhile (the rest: the peers' own time). */
  cpuMs: number;
}

/** Any ELBv2 command class (the client's `send` takes each of them). */
type CommandClass = new (input: object) => elbv2.DescribeTargetHealthCommand;

function commandFor(operation: string, input: object) {
  const Command = (elbv2 as unknown as Record<string, CommandClass>)[
    `${operation}Command`
  ];
  if (!Command) throw new Error(`no ELBv2 command ${operation}`);
  return new Command(input);
}

function listPath(list: RecordedCalls['lists'][number]): string {
  const { group, version, plural } = list.resource;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const query = new URLSearchParams({ limit: String(list.options.limit) });
  if (list.options.labelSelector)
    query.set('labelSelector', list.options.labelSelector);
  if (list.options.fieldSelector)
    query.set('fieldSelector', list.options.fieldSelector);
  return `${base}/${plural}?${query}`;
}

/** GETs `path` over `agent` and parses the body, as any client must. */
async function getJson(
  kc: k8s.KubeConfig,
  agent: Agent,
  path: string,
): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster in the kubeconfig');
  const url = new URL(path, cluster.server);
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ...options, agent, method: 'GET', headers: options.headers },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // A 404 (a version not served) is an answer the read paid for too.
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 500) {
            reject(new Error(`${path}: HTTP ${res.statusCode}`));
            return;
          }
          const body = Buffer.concat(chunks).toString('utf8');
          resolve((res.statusCode ?? 0) < 300 ? JSON.parse(body) : body);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * GETs every path at once as streams of one new HTTP/2 connection (the API
 * server offers h2; the Kubernetes plugin's proxy, which the product's lists
 * go through, speaks HTTP/1.1 only): what one TLS handshake instead of one
 * per list would cost on these peers.
 */
async function getAllOverHttp2(
  kc: k8s.KubeConfig,
  paths: string[],
): Promise<void> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster in the kubeconfig');
  const options: RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const session = http2.connect(cluster.server, {
    ca: options.ca,
    cert: options.cert,
    key: options.key,
  });
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).map(([k, v]) => [
      k.toLowerCase(),
      String(v),
    ]),
  );
  try {
    await Promise.all(
      paths.map(
        path =>
          new Promise<void>((resolve, reject) => {
            const stream = session.request({ ...headers, ':path': path });
            const chunks: Buffer[] = [];
            let status = 0;
            stream.on('response', h => {
              status = Number(h[':status']);
            });
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('end', () => {
              if (status >= 500) reject(new Error(`${path}: HTTP ${status}`));
              else {
                const body = Buffer.concat(chunks).toString('utf8');
                if (status < 300) JSON.parse(body);
                resolve();
              }
            });
            stream.on('error', reject);
          }),
      ),
    );
  } finally {
    session.close();
  }
}

/**
 * Replays `calls`: the lists all at once on new connections (`fresh`: a
 * cold process has none) or on kept-alive ones, then the AWS calls all at
 * once — the two round trips the goals allow, with nothing of ours between.
 */
export function peerFloorReplayer(target: PeerFloorTarget) {
  const newAws = () =>
    new elbv2.ElasticLoadBalancingV2Client({
      endpoint: target.aws.endpoint,
      region: target.aws.region,
      credentials: target.aws.credentials,
    });
  let warmAws: elbv2.ElasticLoadBalancingV2Client | undefined;
  const warmAgent = new Agent({ keepAlive: true });
  const replay = async (
    calls: RecordedCalls,
    fresh: boolean,
    overHttp2: boolean,
  ) => {
    const agent = fresh ? new Agent({ keepAlive: true }) : warmAgent;
    const aws = fresh ? newAws() : (warmAws ??= newAws());
    try {
      if (overHttp2) {
        await getAllOverHttp2(target.kc, calls.lists.map(listPath));
      } else {
        await Promise.all(
          calls.lists.map(l => getJson(target.kc, agent, listPath(l))),
        );
      }
      await Promise.all(
        calls.aws.map(c => aws.send(commandFor(c.operation, c.input))),
      );
    } finally {
      if (fresh) {
        agent.destroy();
        aws.destroy();
      }
    }
  };
  return {
    /**
     * The median of `runs` replays (after one unmeasured replay when warm);
     * `overHttp2`: the lists on one new HTTP/2 connection instead.
     */
    async measure(
      calls: RecordedCalls,
      options: { fresh: boolean; runs: number; overHttp2?: boolean },
    ): Promise<PeerFloor> {
      const overHttp2 = options.overHttp2 ?? false;
      if (!options.fresh) await replay(calls, false, overHttp2);
      const runs: PeerFloor[] = [];
      for (let i = 0; i < options.runs; i++) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        await replay(calls, options.fresh, overHttp2);
        const cpu = process.cpuUsage(cpu0);
        runs.push({
          ms: performance.now() - t0,
          cpuMs: (cpu.user + cpu.system) / 1000,
        });
      }
      runs.sort((a, b) => a.ms - b.ms);
      return runs[Math.floor(runs.length / 2)];
    },
    close() {
      warmAgent.destroy();
      warmAws?.destroy();
    },
  };
}
