import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ControllerProfile,
  GATEWAY_API_GROUP_NAME,
  isDnsLabel,
  isDnsSubdomain,
  L4_ROUTE_KIND_FOR_PROTOCOL,
} from '@gateway-portal/plugin-aws-gateway-common';
import { createTwoFilesPatch } from 'diff';
import yaml, { isMap, isSeq, YAMLSeq } from 'yaml';
import { describePortRanges, PortRange } from './guardrails';
import {
  endpointMetadata,
  renderTargetGroupConfiguration,
} from './renderEndpoint';
import {
  listenerHostnameIssue,
  tlsListenerHostnameIssue,
  tlsPortSharingConflict,
} from './rules';
import {
  isAllowedTlsHostname,
  SharedGateway,
  SharedListenerProtocol,
  SharedRouteNamespaces,
} from './sharedGatewayConfig';
import type { PendingListenerClaim } from './sharedGatewayRepository';
import { KubernetesManifest, RenderedManifest } from './types';

/**
 * A listener on a shared Gateway: the change to the platform's Gateway
 * manifest (one listener added, by editing the parsed YAML so the platform's
 * comments and order stay) and the app's route (plus a ReferenceGrant when
 * the backend Service lives in another namespace). Pure: the caller reads
 * the repository's manifest and the live Gateway, and checks the app
 * namespace against the render guardrails.
 */

/** apiVersion of ReferenceGrant in every profile (standard channel since Gateway API v1.0). */
const REFERENCE_GRANT_API_VERSION = `${GATEWAY_API_GROUP_NAME}/v1beta1`;
/**
 * Annotation on the app's route: the port of the listener the portal wrote
 * for it. The listener itself carries no mark of ours (a Gateway listener has
 * no metadata), so a hand edit of its port shows as a listener that is not
 * what the route says was written.
 *
 * @public
 */
export const SHARED_LISTENER_PORT_ANNOTATION = 'aws-gateway.io/listener-port';
/** The platform's Gateway manifest is small; anything larger is not one. */
const MAX_GATEWAY_MANIFEST_BYTES = 256 * 1024;

/** A listener of a Gateway, as read from an untrusted object. @public */
export interface GatewayListenerSummary {
  name: string;
  port: number;
  protocol: string;
}

/** What a developer asks for on a shared Gateway. @public */
export interface SharedListenerRequest {
  /** The shared Gateway's id, `<cluster>/<namespace>/<name>`. */
  sharedGateway: string;
  /** The app namespace: the route goes there. */
  namespace: string;
  listenerName: string;
  listenerPort: number;
  protocol: SharedListenerProtocol;
  /** TLS only: the listener's and the TLSRoute's host name (among the shared Gateway's `tlsHostnames`). */
  hostname?: string;
  routeName: string;
  backend: { service: string; port: number; namespace?: string };
  entityRef?: string;
  kubernetesId?: string;
}

/** The files of a listener on a shared Gateway. @public */
export interface SharedListenerPlan {
  /** The shared Gateway's manifest with the listener added (unchanged when it is already there). */
  gatewayFile: { path: string; content: string };
  gatewayChanged: boolean;
  /** Unified diff of the Gateway manifest, for the dry run and the pull request. */
  gatewayDiff: string;
  listener: Record<string, unknown>;
  /** The route and, for a backend in another namespace, the ReferenceGrant. */
  manifests: RenderedManifest[];
}

/** The configured shared Gateway with this id; anything else is refused. @public */
export function findSharedGateway(
  gateways: SharedGateway[],
  id: string,
): SharedGateway {
  const found = gateways.find(g => g.id === id);
  if (!found) {
    throw new NotAllowedError(
      `sharedGateway: "${id}" is not a shared Gateway the platform offers (awsGateway.provisioning.sharedGateways) [shared-gateway-not-configured]`,
    );
  }
  return found;
}

/** The listeners of a Gateway object read from a cluster or a repository; malformed entries are left out. @public */
export function gatewayListeners(gateway: unknown): GatewayListenerSummary[] {
  const listeners = (gateway as any)?.spec?.listeners;
  if (!Array.isArray(listeners)) return [];
  return listeners.flatMap(l =>
    typeof l?.name === 'string' &&
    Number.isInteger(l?.port) &&
    typeof l?.protocol === 'string'
      ? [{ name: l.name, port: l.port, protocol: l.protocol }]
      : [],
  );
}

/** Whether two listeners are the same by name, port and protocol. */
export function sameListenerSummary(
  a: GatewayListenerSummary,
  b: GatewayListenerSummary,
): boolean {
  return a.name === b.name && a.port === b.port && a.protocol === b.protocol;
}

/** The configured ports no listener holds, as ranges, and the configured ports that are taken. @public */
export function freeSharedPorts(
  shared: Pick<SharedGateway, 'listenerPorts'>,
  ...listenerSets: GatewayListenerSummary[][]
): { free: PortRange[]; taken: number[] } {
  const held = new Set(listenerSets.flat().map(l => l.port));
  const free: PortRange[] = [];
  const taken: number[] = [];
  for (const range of shared.listenerPorts) {
    let start: number | undefined;
    for (let port = range.from; port <= range.to + 1; port++) {
      const isFree = port <= range.to && !held.has(port);
      if (isFree && start === undefined) start = port;
      if (!isFree && start !== undefined) {
        free.push({ from: start, to: port - 1 });
        start = undefined;
      }
      if (port <= range.to && held.has(port)) taken.push(port);
    }
  }
  return { free, taken: [...new Set(taken)].sort((a, b) => a - b) };
}

/** Whether a listener with these allowedRoutes admits a route from `routeNamespace`. @public */
export function admitsRouteNamespace(
  rule: SharedRouteNamespaces,
  gatewayNamespace: string,
  routeNamespace: string,
  routeNamespaceLabels: Record<string, string> | undefined,
): boolean {
  if (rule.from === 'All') return true;
  if (rule.from === 'Same') return routeNamespace === gatewayNamespace;
  return Object.entries(rule.matchLabels).every(
    ([key, value]) => routeNamespaceLabels?.[key] === value,
  );
}

function allowedRoutesOf(rule: SharedRouteNamespaces) {
  return rule.from === 'Selector'
    ? { from: 'Selector', selector: { matchLabels: { ...rule.matchLabels } } }
    : { from: rule.from };
}

/** The listener we write for a request; compared as JSON with what a repository holds to recognise ours. */
export function sharedListenerEntry(
  shared: SharedGateway,
  request: SharedListenerRequest,
): Record<string, unknown> {
  const tls = request.protocol === 'TLS';
  return {
    name: request.listenerName,
    protocol: request.protocol,
    port: request.listenerPort,
    // Written as a Gateway of its own writes a TLS listener: its host name, passed through.
    ...(tls && request.hostname ? { hostname: request.hostname } : {}),
    ...(tls ? { tls: { mode: 'Passthrough' } } : {}),
    allowedRoutes: {
      namespaces: allowedRoutesOf(shared.allowedRoutes),
      kinds: [
        {
          group: GATEWAY_API_GROUP_NAME,
          kind: L4_ROUTE_KIND_FOR_PROTOCOL[request.protocol],
        },
      ],
    },
  };
}

/** One reason a listener cannot be added or changed, naming the input field and the rule. @public */
export type SharedListenerProblem = {
  field: string;
  rule: string;
  message: string;
};

/** Every problem, each once, in one InputError. */
export function sharedListenerProblemsError(
  intro: string,
  problems: SharedListenerProblem[],
): InputError {
  const unique = problems.filter(
    (p, i) =>
      problems.findIndex(q => q.message === p.message && q.rule === p.rule) ===
      i,
  );
  return new InputError(
    `${intro}:\n${unique
      .map(p => `- ${p.field}: ${p.message} [${p.rule}]`)
      .join('\n')}`,
  );
}

/**
 * The platform's manifest, parsed as hostile input: one Gateway document, no aliases, the configured name.
 *
 * @public
 */
export function parseSharedGatewayManifest(
  shared: SharedGateway,
  content: string,
): { doc: yaml.Document; gateway: any } {
  const where = `${shared.gitops.path} in ${shared.gitops.repoUrl}`;
  const bad = (why: string) =>
    new InputError(
      `sharedGateway: the manifest ${where} ${why}; ask the platform team to fix it [shared-gateway-manifest-invalid]`,
    );
  if (Buffer.byteLength(content) > MAX_GATEWAY_MANIFEST_BYTES) {
    throw bad(`is larger than ${MAX_GATEWAY_MANIFEST_BYTES / 1024} KiB`);
  }
  const docs = yaml.parseAllDocuments(content);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1 || list[0].errors.length) {
    throw bad('must hold exactly one YAML document');
  }
  const doc = list[0] as yaml.Document;
  let gateway: any;
  try {
    gateway = doc.toJS({ maxAliasCount: 0 });
  } catch {
    throw bad('uses YAML aliases');
  }
  if (
    gateway?.kind !== 'Gateway' ||
    typeof gateway?.apiVersion !== 'string' ||
    !gateway.apiVersion.startsWith(`${GATEWAY_API_GROUP_NAME}/`) ||
    gateway.metadata?.name !== shared.name ||
    gateway.metadata?.namespace !== shared.namespace ||
    !isMap(doc.contents) ||
    !isMap(doc.getIn(['spec'], true))
  ) {
    throw bad(`is not the Gateway ${shared.namespace}/${shared.name}`);
  }
  const listeners = doc.getIn(['spec', 'listeners'], true);
  if (listeners !== undefined && !isSeq(listeners)) {
    throw bad('has spec.listeners that is not a list');
  }
  return { doc, gateway };
}

/** Whether two listener entries are the same (as JSON: key order counts, as the portal writes them). */
export function sameListener(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What a listener request is checked against: the shared Gateway as the repository and the cluster have it. */
export interface SharedListenerChecks {
  shared: SharedGateway;
  request: SharedListenerRequest;
  /** The repository's Gateway, parsed (`parseSharedGatewayManifest`). */
  gateway: any;
  /** The Gateway as the cluster has it; undefined when it does not exist. */
  liveGateway: unknown;
  /** Labels of the app namespace (for `from: Selector`). */
  routeNamespaceLabels?: Record<string, string>;
  /** The listener being changed (its name): its own port is not "taken". */
  ownListener?: string;
  /**
   * The Gateway on the base branch when the edit goes to a review branch
   * that may predate it: its listeners are held too, and a live listener in
   * it is no drift (merging keeps it).
   */
  baseGateway?: unknown;
  /** Listeners the portal's open review pull requests add or move (readPendingSharedReviews). */
  pendingClaims?: PendingListenerClaim[];
}

/**
 * What a listener request breaks: the names, the protocols and ports the
 * platform offers, a port or name another listener holds (live or in the
 * repository), an app namespace the listener would not admit, a Gateway not
 * on its cluster, and a repository manifest that lacks what the live Gateway
 * has. Pure.
 */
export function sharedListenerProblems(
  checks: SharedListenerChecks,
): SharedListenerProblem[] {
  const { shared, request } = checks;
  const subject = `shared Gateway ${shared.id}`;
  const problems: SharedListenerProblem[] = [];
  const add = (field: string, rule: string, message: string) =>
    problems.push({ field, rule, message });

  for (const [field, value] of [
    ['namespace', request.namespace],
    ['listenerName', request.listenerName],
    ['routeName', request.routeName],
    ['backend.service', request.backend.service],
    ['backend.namespace', request.backend.namespace ?? request.namespace],
  ] as const) {
    if (!isDnsLabel(value)) {
      add(field, 'dns-label', `"${value}" must be a DNS label`);
    }
  }
  if (!shared.protocols.includes(request.protocol)) {
    add(
      'protocol',
      'shared-protocol',
      `${
        request.protocol
      } is not offered on ${subject}; choose ${shared.protocols.join(' or ')}`,
    );
  }
  problems.push(...sharedTlsHostnameProblems(shared, request));
  if (
    !Number.isInteger(request.backend.port) ||
    request.backend.port < 1 ||
    request.backend.port > 65535
  ) {
    add('backend.port', 'port', `${request.backend.port} must be 1-65535`);
  }
  if (
    !shared.listenerPorts.some(
      r => request.listenerPort >= r.from && request.listenerPort <= r.to,
    )
  ) {
    add(
      'listenerPort',
      'shared-port-range',
      `${
        request.listenerPort
      } is not among the ports developers may take on ${subject} (${describePortRanges(
        shared.listenerPorts,
      )})`,
    );
  }
  if (
    !admitsRouteNamespace(
      shared.allowedRoutes,
      shared.namespace,
      request.namespace,
      checks.routeNamespaceLabels,
    )
  ) {
    add(
      'namespace',
      'shared-namespace-not-allowed',
      `routes from namespace ${
        request.namespace
      } may not attach to ${subject} (${describeSharedRouteNamespaces(
        shared.allowedRoutes,
      )})`,
    );
  }
  if (checks.liveGateway === undefined) {
    add(
      'sharedGateway',
      'shared-gateway-not-live',
      `${subject} does not exist on its cluster; its listeners cannot be checked`,
    );
  }
  problems.push(
    ...sharedGatewayDriftProblems(
      shared,
      checks.gateway,
      checks.liveGateway,
      checks.baseGateway,
    ),
  );
  const others = [
    ...gatewayListeners(checks.gateway),
    ...gatewayListeners(checks.liveGateway),
    ...gatewayListeners(checks.baseGateway),
  ].filter(l => l.name !== checks.ownListener);
  for (const l of others) {
    if (l.name === request.listenerName) {
      add(
        'listenerName',
        'shared-listener-name-taken',
        `${subject} already has a listener named ${l.name}`,
      );
    } else if (l.port === request.listenerPort) {
      // One port, one listener on a shared Gateway; with TLS, what the NLB would make of two.
      const tls = tlsPortSharingConflict(request.protocol, l.protocol);
      add(
        'listenerPort',
        'shared-port-taken',
        `port ${l.port} is taken on ${subject} (listener ${l.name}${
          tls ? `, ${l.protocol}: ${tls.reason} [${tls.rule}]` : ''
        })`,
      );
    }
  }
  // Another review still open: the same rules, naming its pull request (one of ours is not another's).
  for (const claim of checks.pendingClaims ?? []) {
    if (claim.name === checks.ownListener) continue;
    const pending = `pull request #${claim.pullRequest.number} (${claim.pullRequest.url}), still open, adds listener ${claim.name} with port ${claim.port} to ${subject}`;
    if (claim.name === request.listenerName) {
      add(
        'listenerName',
        'shared-listener-name-pending',
        `${pending}: choose another name, or wait until it is merged or closed`,
      );
    } else if (claim.port === request.listenerPort) {
      add(
        'listenerPort',
        'shared-port-pending',
        `${pending}: choose another port, or wait until it is merged or closed`,
      );
    }
  }
  return problems;
}

/**
 * Refuses (InputError naming the field and the rule) a host name the
 * listener may not have: what `planSharedListener` checks too, for actions
 * to refuse it before they read anything.
 *
 * @public
 */
export function assertSharedListenerHostname(
  shared: SharedGateway,
  request: Pick<SharedListenerRequest, 'protocol' | 'hostname'>,
): void {
  const problems = sharedTlsHostnameProblems(shared, request);
  if (problems.length) {
    throw sharedListenerProblemsError(
      `A ${request.protocol} listener on shared Gateway ${shared.id} cannot have this host name`,
      problems,
    );
  }
}

/** A TLS listener's host name: required, a Gateway API host name, among the platform's; none on TCP or UDP. */
function sharedTlsHostnameProblems(
  shared: SharedGateway,
  request: Pick<SharedListenerRequest, 'protocol' | 'hostname'>,
): SharedListenerProblem[] {
  // The rules' messages name what they check; the problem names the input field.
  const named = 'the host name';
  const issue =
    request.protocol === 'TLS'
      ? tlsListenerHostnameIssue(request.hostname, named)
      : listenerHostnameIssue(request.protocol, request.hostname, named);
  if (issue) return [{ ...issue, field: 'hostname' }];
  if (
    request.protocol === 'TLS' &&
    !isAllowedTlsHostname(shared.tlsHostnames, request.hostname!)
  ) {
    return [
      {
        field: 'hostname',
        rule: 'shared-tls-hostname',
        message: `${
          request.hostname
        } is not among the host names TLS listeners may use on shared Gateway ${
          shared.id
        } (${shared.tlsHostnames.join(', ') || 'none'})`,
      },
    ];
  }
  return [];
}

/**
 * Committing the repository's manifest must not take from the cluster what
 * the platform applied: every live listener must be in it, unchanged.
 */
export function sharedGatewayDriftProblems(
  shared: SharedGateway,
  gateway: unknown,
  liveGateway: unknown,
  /** The base branch's Gateway, when `gateway` is a review branch's: a listener there is kept by the merge. */
  baseGateway?: unknown,
): SharedListenerProblem[] {
  const inRepo = gatewayListeners(gateway);
  const onBase = gatewayListeners(baseGateway);
  const sameIn = (list: GatewayListenerSummary[], l: GatewayListenerSummary) =>
    list.some(r => sameListenerSummary(r, l));
  return gatewayListeners(liveGateway).flatMap(l => {
    if (sameIn(inRepo, l) || sameIn(onBase, l)) return [];
    const same = inRepo.find(r => r.name === l.name);
    return [
      {
        field: 'sharedGateway',
        rule: 'shared-gateway-drift',
        message: `the live listener ${l.name} (${l.protocol} ${l.port}) is ${
          same ? 'different' : 'missing'
        } in ${
          shared.gitops.path
        }; committing would change it — ask the platform team to bring the repository in line`,
      },
    ];
  });
}

/**
 * Plans a listener on a shared Gateway, refusing (InputError naming the field
 * and the rule, before anything is written) what `sharedListenerProblems`
 * finds. An identical listener already in the manifest (an earlier run) is
 * kept.
 *
 * @public
 */
export function planSharedListener(inputs: {
  shared: SharedGateway;
  request: SharedListenerRequest;
  /** The Gateway manifest at `shared.gitops.path` on the branch the change starts from. */
  repoGatewayYaml: string;
  /** The Gateway as the cluster has it; undefined when it does not exist. */
  liveGateway: unknown;
  /** Labels of the app namespace (for `from: Selector`). */
  routeNamespaceLabels?: Record<string, string>;
  profile: ControllerProfile;
  /** The base branch's Gateway, parsed, when `repoGatewayYaml` is a review branch's (a re-run). */
  baseGateway?: unknown;
  /** Listeners other open review pull requests claim. */
  pendingClaims?: PendingListenerClaim[];
}): SharedListenerPlan {
  const { shared, request, profile } = inputs;
  const { doc, gateway } = parseSharedGatewayManifest(
    shared,
    inputs.repoGatewayYaml,
  );
  const repoListeners: unknown[] = Array.isArray(gateway.spec?.listeners)
    ? gateway.spec.listeners
    : [];
  const listener = sharedListenerEntry(shared, request);
  const earlierRun = repoListeners.find(l => sameListener(l, listener));
  const problems = sharedListenerProblems({
    ...inputs,
    gateway,
    // The listener of an earlier run holds its own name and port.
    ownListener: earlierRun ? request.listenerName : undefined,
  });
  if (problems.length) {
    throw sharedListenerProblemsError(
      `A listener on shared Gateway ${shared.id} cannot be added`,
      problems,
    );
  }

  if (!earlierRun) {
    const node = doc.createNode(listener);
    const seq = doc.getIn(['spec', 'listeners'], true);
    if (isSeq(seq)) (seq as YAMLSeq).items.push(node);
    else doc.setIn(['spec', 'listeners'], doc.createNode([listener]));
  }
  const before = inputs.repoGatewayYaml;
  const after = earlierRun ? before : doc.toString({ lineWidth: 0 });
  return {
    gatewayFile: { path: shared.gitops.path, content: after },
    gatewayChanged: after !== before,
    gatewayDiff: sharedGatewayDiff(shared, before, after),
    listener,
    manifests: renderSharedRouteManifests(shared, request, profile),
  };
}

/** Unified diff of the shared Gateway's manifest, for the task log and the pull request. */
export function sharedGatewayDiff(
  shared: Pick<SharedGateway, 'gitops'>,
  before: string,
  after: string,
): string {
  return createTwoFilesPatch(
    `a/${shared.gitops.path}`,
    `b/${shared.gitops.path}`,
    before,
    after,
  );
}

/** Which namespaces a listener admits, in words for developers. @public */
export function describeSharedRouteNamespaces(
  rule: SharedRouteNamespaces,
): string {
  if (rule.from === 'All') return 'every namespace';
  if (rule.from === 'Same') return 'only its own namespace';
  return `only namespaces labelled ${Object.entries(rule.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
}

/** The app's route to the shared Gateway's listener, and a ReferenceGrant for a backend elsewhere. @public */
export function renderSharedRouteManifests(
  shared: SharedGateway,
  request: SharedListenerRequest,
  profile: ControllerProfile,
): RenderedManifest[] {
  const kind = L4_ROUTE_KIND_FOR_PROTOCOL[request.protocol];
  const backendNamespace = request.backend.namespace ?? request.namespace;
  const crossNamespace = backendNamespace !== request.namespace;
  const metadata = endpointMetadata(request, request.routeName);
  metadata.annotations = {
    ...metadata.annotations,
    [SHARED_LISTENER_PORT_ANNOTATION]: String(request.listenerPort),
  };
  const route: KubernetesManifest = {
    apiVersion: profile.routeApiVersions[kind],
    kind,
    metadata,
    spec: {
      parentRefs: [
        {
          group: GATEWAY_API_GROUP_NAME,
          kind: 'Gateway',
          namespace: shared.namespace,
          name: shared.name,
          sectionName: request.listenerName,
        },
      ],
      ...(kind === 'TLSRoute' && request.hostname
        ? { hostnames: [request.hostname] }
        : {}),
      rules: [
        {
          backendRefs: [
            {
              group: '',
              kind: 'Service',
              name: request.backend.service,
              ...(crossNamespace ? { namespace: backendNamespace } : {}),
              port: request.backend.port,
            },
          ],
        },
      ],
    },
  };
  const manifests = [route];
  // Objects in the backend's namespace: named after the route, and after its namespace too when that is another.
  const name = crossNamespace
    ? `${request.namespace}-${request.routeName}`
    : request.routeName;
  if (!isDnsSubdomain(name)) {
    throw new InputError(
      `routeName: "${name}" (the name of the objects in the Service's namespace) must be a Kubernetes name [dns-subdomain]`,
    );
  }
  if (crossNamespace) {
    manifests.push({
      apiVersion: REFERENCE_GRANT_API_VERSION,
      kind: 'ReferenceGrant',
      metadata: endpointMetadata(
        { ...request, namespace: backendNamespace },
        name,
      ),
      spec: {
        from: [
          { group: GATEWAY_API_GROUP_NAME, kind, namespace: request.namespace },
        ],
        to: [{ group: '', kind: 'Service', name: request.backend.service }],
      },
    });
  }
  if (kind === 'TLSRoute') {
    // Behind a passthrough listener the Service needs TCP target groups (rule tls-passthrough-target-group-protocol).
    manifests.push(
      renderTargetGroupConfiguration(
        profile,
        { ...metadata, name, namespace: backendNamespace },
        {
          service: request.backend.service,
          // ClusterIP Services have no node port for instance targets: ip, as every endpoint the portal renders.
          targetType: 'ip',
          behindPassthrough: true,
        },
      ),
    );
  }
  return manifests.map(manifest => ({
    path: `${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`,
    manifest,
  }));
}
