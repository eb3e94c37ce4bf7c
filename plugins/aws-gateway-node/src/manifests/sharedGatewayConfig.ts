import { Config } from '@backstage/config';
import {
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { safeRepoPath } from '../gitops/branches';
import { parseRepositoryUrl } from '../urls/repositoryUrl';
import { parsePortRange, PortRange } from './guardrails';
import { tlsListenerHostnameIssue } from './rules';

/**
 * The shared Gateways developers may add a listener to
 * (`awsGateway.provisioning.sharedGateways`, declared in the scaffolder
 * module's config.d.ts). A server-side guardrail: a Gateway not listed here is
 * refused whatever a form sends.
 */

/** Protocols a developer may ask for on a shared Gateway (TLS: passed through, on host names the platform lists). @public */
export const SHARED_LISTENER_PROTOCOLS = ['TCP', 'UDP', 'TLS'] as const;

/** Offered when the platform names none: TLS only where it also says which host names developers may use. */
const DEFAULT_SHARED_PROTOCOLS: SharedListenerProtocol[] = ['TCP', 'UDP'];

/** @public */
export type SharedListenerProtocol = (typeof SHARED_LISTENER_PROTOCOLS)[number];

/**
 * Which namespaces' routes a new listener admits, written as the listener's
 * `allowedRoutes.namespaces` (the Gateway API way).
 *
 * @public
 */
export type SharedRouteNamespaces =
  | { from: 'All' }
  | { from: 'Same' }
  | { from: 'Selector'; matchLabels: Record<string, string> };

/** One shared Gateway as the platform team configured it. @public */
export interface SharedGateway {
  /** `<cluster>/<namespace>/<name>`: how forms and actions name it. */
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  title?: string;
  /** Where the Gateway's manifest lives: repository, file and the branch it is applied from. */
  gitops: { repoUrl: string; path: string; branch: string };
  /** Listener ports developers may take (the Gateway's other ports are the platform's). */
  listenerPorts: PortRange[];
  protocols: SharedListenerProtocol[];
  /**
   * Host names a TLS listener may carry (`tlsHostnames`): `db.example.com`
   * exactly, or `*.apps.example.com` for any name below apps.example.com;
   * empty unless TLS is offered.
   */
  tlsHostnames: string[];
  allowedRoutes: SharedRouteNamespaces;
}

const KEY = 'awsGateway.provisioning.sharedGateways';

/** The one spelling of a shared Gateway's id. @public */
export function sharedGatewayId(
  g: Pick<SharedGateway, 'cluster' | 'namespace' | 'name'>,
): string {
  return `${g.cluster}/${g.namespace}/${g.name}`;
}

function readAllowedRoutes(
  config: Config | undefined,
  key: string,
): SharedRouteNamespaces {
  const from = config?.getOptionalString('from') ?? 'Selector';
  if (from === 'All' || from === 'Same') return { from };
  if (from !== 'Selector') {
    throw new Error(`${key}.from: "${from}" must be All, Same or Selector`);
  }
  const labels = config?.getOptionalConfig('matchLabels');
  const matchLabels: Record<string, string> = {};
  for (const label of labels?.keys() ?? []) {
    const value = labels!.getString(label);
    if (!isLabelValue(value) || !value || !isLabelKey(label)) {
      throw new Error(
        `${key}.matchLabels: "${label}: ${value}" is not a Kubernetes label`,
      );
    }
    matchLabels[label] = value;
  }
  // An empty selector admits every namespace; the platform says All for that.
  if (!Object.keys(matchLabels).length) {
    throw new Error(
      `${key}: from Selector needs matchLabels (say from: All to admit every namespace)`,
    );
  }
  return { from, matchLabels };
}

function isLabelKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || isDnsSubdomain(parts[0]);
  return prefixOk && name.length > 0 && isLabelValue(name);
}

/** The host names TLS listeners may carry: required with TLS, refused without it, each a Gateway API host name. */
function readTlsHostnames(
  entry: Config,
  key: string,
  protocols: SharedListenerProtocol[],
): string[] {
  const hostnames = entry.getOptionalStringArray('tlsHostnames') ?? [];
  if (!protocols.includes('TLS')) {
    if (hostnames.length) {
      throw new Error(
        `${key}.tlsHostnames: only for a Gateway that offers TLS (add TLS to ${key}.protocols)`,
      );
    }
    return [];
  }
  if (!hostnames.length) {
    throw new Error(
      `${key}.tlsHostnames: TLS is offered, so name the host names developers may use, e.g. "*.apps.example.com"`,
    );
  }
  for (const [i, hostname] of hostnames.entries()) {
    const issue = tlsListenerHostnameIssue(
      hostname,
      `${key}.tlsHostnames[${i}]`,
    );
    if (issue) throw new Error(issue.message);
  }
  return hostnames;
}

/**
 * Whether `hostname` (perhaps itself a wildcard) is among the platform's
 * `tlsHostnames`: equal to an exact entry, or below the domain of a wildcard
 * entry, as the Gateway API matches wildcards (`*.example.com` covers
 * `a.example.com` and `a.b.example.com`, not `example.com`).
 *
 * @public
 */
export function isAllowedTlsHostname(
  allowed: string[],
  hostname: string,
): boolean {
  return allowed.some(entry => {
    if (!entry.startsWith('*.')) return entry === hostname;
    const domain = entry.slice(2);
    const base = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
    return (
      base.endsWith(`.${domain}`) ||
      (hostname.startsWith('*.') && base === domain)
    );
  });
}

/** Reads the shared Gateways, failing at startup on malformed entries. @public */
export function readSharedGateways(config: Config): SharedGateway[] {
  const entries = config.getOptionalConfigArray(KEY) ?? [];
  const gateways = entries.map((entry, index): SharedGateway => {
    const key = `${KEY}[${index}]`;
    const cluster = entry.getString('cluster');
    const namespace = entry.getString('namespace');
    const name = entry.getString('name');
    if (!isDnsLabel(namespace) || !isDnsSubdomain(name)) {
      throw new Error(
        `${key}: namespace "${namespace}" and name "${name}" must be Kubernetes names`,
      );
    }
    const gitops = entry.getConfig('gitops');
    const repoUrl = parseRepositoryUrl(
      gitops.getString('repoUrl'),
      `${key}.gitops.repoUrl`,
      { allowHttpLoopback: true },
    ).href;
    let path: string;
    try {
      path = safeRepoPath(gitops.getString('path'));
    } catch (error) {
      throw new Error(`${key}.gitops.path: ${(error as Error).message}`);
    }
    const protocols = (entry.getOptionalStringArray('protocols') ?? [
      ...DEFAULT_SHARED_PROTOCOLS,
    ]) as SharedListenerProtocol[];
    const unknown = protocols.find(p => !SHARED_LISTENER_PROTOCOLS.includes(p));
    if (unknown) {
      throw new Error(
        `${key}.protocols: "${unknown}" must be one of ${SHARED_LISTENER_PROTOCOLS.join(
          ', ',
        )}`,
      );
    }
    const tlsHostnames = readTlsHostnames(entry, key, protocols);
    const ports = entry.getOptional<Array<number | string>>('listenerPorts');
    if (!ports?.length) {
      throw new Error(
        `${key}.listenerPorts: name the ports developers may take, e.g. "20000-20999"`,
      );
    }
    const title = entry.getOptionalString('title');
    return {
      id: sharedGatewayId({ cluster, namespace, name }),
      cluster,
      namespace,
      name,
      ...(title ? { title } : {}),
      gitops: {
        repoUrl,
        path,
        branch: gitops.getOptionalString('branch') ?? 'main',
      },
      listenerPorts: ports.map(p => parsePortRange(p, `${key}.listenerPorts`)),
      protocols,
      tlsHostnames,
      allowedRoutes: readAllowedRoutes(
        entry.getOptionalConfig('allowedRoutes'),
        `${key}.allowedRoutes`,
      ),
    };
  });
  const twice = gateways.find(
    (g, i) => gateways.findIndex(h => h.id === g.id) !== i,
  );
  if (twice) throw new Error(`${KEY}: ${twice.id} is listed twice`);
  return gateways;
}
