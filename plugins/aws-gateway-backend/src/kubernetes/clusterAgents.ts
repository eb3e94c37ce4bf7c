import { createHash, Hash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { Cluster, KubeConfig } from '@kubernetes/client-node';
import { BoundedMap } from '../boundedMap';
import { ResumingHttpsAgent } from './resumingHttpsAgent';

/**
 * How @kubernetes/client-node 1.4 builds the agent of every request (API
 * clients through applySecurityAuthentication, watches through
 * applyToFetchOptions): `createAgent(cluster, agentOptions)` after the user's
 * auth is applied, so the options hold the final CA, client certificate and
 * key (an exec or custom authenticator may have added them). A private method
 * of KubeConfig: the unit test fails if a new version stops calling it.
 */
interface AgentFactory {
  createAgent(cluster: Cluster | null, options: https.AgentOptions): http.Agent;
}

/** Below Node's server keepAliveTimeout (5 s, Backstage's too): the client closes an idle socket first, so it never reuses one the server is closing. */
const IDLE_SOCKET_MS = 4_000;
/** Agents of one cluster with distinct server/TLS material (a rotated certificate, another identity); the least recently used is retired past it. */
const MAX_AGENTS_PER_CLUSTER = 4;

/** @public */
export interface ClusterAgentsOptions {
  /** Clusters with agents at once (the watch cache's maxClusters); the least recently used cluster's agents are retired past it. */
  maxClusters: number;
}

/**
 * One keep-alive agent per cluster and per distinct server and TLS material
 * (CA, client certificate and key, TLS options): lists, watches and direct
 * reads of a cluster share its connections, TLS context and sessions instead
 * of a handshake per request. An agent is keyed by a SHA-256 of what it is
 * built from, so a connection only ever carries the client certificate it was
 * opened with; per-request credentials (bearer tokens, the user's token
 * header) stay in each request's headers. A retired agent closes its idle
 * sockets at once and each busy one when its request ends (in-flight calls
 * finish); `destroy` (shutdown) closes every socket.
 *
 * @public
 */
export class ClusterAgents {
  /** cluster → (material hash → agent), both least recently used first. */
  private readonly clusters: BoundedMap<string, BoundedMap<string, http.Agent>>;
  private destroyed = false;

  constructor(private readonly options: ClusterAgentsOptions) {
    this.clusters = new BoundedMap(options.maxClusters);
  }

  /**
   * A view of `kc` whose requests take their agent from this pool (the
   * caller's KubeConfig is not changed: one KubeConfig may serve several
   * clusters). Everything else, headers and tokens included, stays per request.
   */
  forCluster(cluster: string, kc: KubeConfig): KubeConfig {
    const library = kc as unknown as AgentFactory;
    if (typeof library.createAgent !== 'function') {
      throw new Error(
        '@kubernetes/client-node no longer builds its agents in KubeConfig.createAgent: adapt ClusterAgents',
      );
    }
    const build = library.createAgent.bind(kc);
    const view: KubeConfig = Object.create(kc);
    const createAgent: AgentFactory['createAgent'] = (server, agentOptions) =>
      this.agentFor(cluster, server, agentOptions, build);
    Object.defineProperty(view, 'createAgent', { value: createAgent });
    return view;
  }

  /** Retires a cluster's agents (its watches stopped). */
  release(cluster: string): void {
    const agents = this.clusters.get(cluster);
    this.clusters.delete(cluster);
    for (const [, agent] of agents ?? []) retire(agent);
  }

  /** Closes every socket of every agent; later requests get agents of their own (not pooled). */
  destroy(): void {
    this.destroyed = true;
    for (const [name, agents] of this.clusters) {
      for (const [, agent] of agents) agent.destroy();
      this.clusters.delete(name);
    }
  }

  /** Agents held, per cluster (for tests and metrics). */
  sizes(): Record<string, number> {
    return Object.fromEntries(
      [...this.clusters].map(([name, agents]) => [name, agents.size]),
    );
  }

  private agentFor(
    cluster: string,
    server: Cluster | null,
    agentOptions: https.AgentOptions,
    build: AgentFactory['createAgent'],
  ): http.Agent {
    const key = materialHash(server, agentOptions);
    if (this.destroyed || !key) return build(server, agentOptions);
    let agents = this.clusters.get(cluster);
    if (!agents) {
      if (this.clusters.size >= this.options.maxClusters) {
        this.release(leastRecentlyUsed(this.clusters)[0]);
      }
      agents = new BoundedMap(MAX_AGENTS_PER_CLUSTER);
    }
    this.clusters.set(cluster, agents);
    let agent = agents.get(key);
    if (!agent) {
      if (agents.size >= MAX_AGENTS_PER_CLUSTER) {
        const [oldest, retired] = leastRecentlyUsed(agents);
        agents.delete(oldest);
        retire(retired);
      }
      agent = newAgent(server, agentOptions, build);
    }
    agents.set(key, agent);
    return agent;
  }
}

function leastRecentlyUsed<K, V>(map: BoundedMap<K, V>): [K, V] {
  return map[Symbol.iterator]().next().value as [K, V];
}

/**
 * A keep-alive agent built from the library's options. For a direct https
 * server it is the https.Agent the library would build, with one TLS context
 * built once (tls.connect would otherwise build one, adding the CA and
 * ciphers, for every connection) and the first connection's TLS session
 * resumed by a burst's others. Through a proxy the TLS options are the proxy
 * agent's own business: left to the library.
 */
function newAgent(
  server: Cluster | null,
  agentOptions: https.AgentOptions,
  build: AgentFactory['createAgent'],
): http.Agent {
  const pooled: https.AgentOptions = {
    ...agentOptions,
    keepAlive: true,
    timeout: IDLE_SOCKET_MS,
  };
  if (server?.proxyUrl || server?.server?.startsWith('http:')) {
    return build(server, pooled);
  }
  return new ResumingHttpsAgent({
    ...pooled,
    secureContext: tls.createSecureContext(agentOptions),
  });
}

/**
 * SHA-256 over the server and every agent option, so no secret is a key in
 * clear; undefined (not pooled) when an option is of a kind the library did
 * not set when this was written (an object such as a secure context): never
 * shared rather than shared by mistake.
 */
function materialHash(
  server: Cluster | null,
  agentOptions: https.AgentOptions,
): string | undefined {
  const hash = createHash('sha256');
  const parts: unknown[] = [
    server?.server,
    server?.proxyUrl,
    server?.skipTLSVerify,
  ];
  // An option set to undefined is one not set (the library's two paths differ so).
  // Sorted by name: sort()'s default compares the entries as text, which
  // decoded the CA, certificate and key of every option pair on every request.
  for (const [name, value] of Object.entries(agentOptions).sort(byName)) {
    if (value !== undefined) parts.push(name, value);
  }
  return feed(hash, parts) ? hash.digest('hex') : undefined;
}

function byName([a]: [string, unknown], [b]: [string, unknown]): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Length-prefixed, typed parts: two different option sets never feed the same bytes. */
function feed(hash: Hash, value: unknown): boolean {
  if (value === undefined || value === null) {
    hash.update('u;');
  } else if (Buffer.isBuffer(value)) {
    hash.update(`b${value.length};`).update(value);
  } else if (Array.isArray(value)) {
    hash.update(`a${value.length};`);
    return value.every(item => feed(hash, item));
  } else if (['string', 'number', 'boolean'].includes(typeof value)) {
    const text = `${typeof value}:${String(value)}`;
    hash.update(`s${Buffer.byteLength(text)};${text}`);
  } else {
    return false;
  }
  return true;
}

/** Closes idle sockets now and each busy one when its request ends. */
function retire(agent: http.Agent): void {
  agent.maxFreeSockets = 0;
  for (const sockets of Object.values(agent.freeSockets)) {
    for (const socket of sockets ?? []) socket.destroy();
  }
}
