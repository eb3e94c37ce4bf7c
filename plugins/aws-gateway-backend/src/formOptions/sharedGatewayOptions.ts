import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  CONTROLLER_PROFILES,
  EndpointFormIssue,
  EndpointFormValues,
  FormSharedGateway,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  describeSharedRouteNamespaces,
  FoundTargetGroupConfiguration,
  freeSharedPorts,
  gatewayListeners,
  GatewayListenerSummary,
  GitOpsRepository,
  KubernetesManifest,
  parseSharedGatewayManifest,
  PendingSharedReviews,
  readLiveGateway,
  readPendingSharedReviews,
  readSharedGatewayManifest,
  readSharedGateways,
  renderSharedRouteManifests,
  RepositoryUrlAllowList,
  SharedGateway,
  SharedListenerProblem,
  targetGroupConfigurationCheckNote,
  targetGroupConfigurationProblems,
  untilAborted,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterReadError } from './clusterReads';
import { FormOptionsService } from './FormOptionsService';

/** How long a shared Gateway's live listeners and repository state are reused for the form (the action reads them again). */
const LIVE_GATEWAY_TTL_MS = 15_000;

/** Reads one live Gateway; undefined when it does not exist. */
export interface SharedGatewayReader {
  readGateway(
    kubeConfig: KubeConfig,
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<unknown | undefined>;
  /** What stands in the way of the TargetGroupConfigurations among `manifests`, live or `committed` (the actions' rule). */
  targetGroupConfigurationProblems(
    kubeConfig: KubeConfig,
    manifests: KubernetesManifest[],
    committed: FoundTargetGroupConfiguration[],
    signal: AbortSignal,
  ): Promise<SharedListenerProblem[]>;
}

/** {@link SharedGatewayReader} over @kubernetes/client-node, with the provisioning calls' deadline. */
export const clientNodeSharedGatewayReader: SharedGatewayReader = {
  readGateway: (kubeConfig, namespace, name, signal) =>
    readLiveGateway(kubeConfig, namespace, name, signal),
  targetGroupConfigurationProblems: (
    kubeConfig,
    manifests,
    committed,
    signal,
  ) =>
    targetGroupConfigurationProblems(kubeConfig, manifests, {
      committed,
      signal,
    }),
};

/** What the platform's repository says of a shared Gateway: its manifest's listeners and the open reviews' claims. */
export interface SharedGatewayRepositoryState {
  listeners: GatewayListenerSummary[];
  pending: PendingSharedReviews;
}

/** The TargetGroupConfigurations committed for a shared Gateway's listeners: on its branch and in the open reviews. */
export interface SharedGatewayTargetGroupConfigurations {
  found: FoundTargetGroupConfiguration[];
  /** What the reads could not see (a bound met, reviews not listed), in words. */
  notes: string[];
}

/** Reads a shared Gateway's repository (reads only, with the integration's credentials). */
export interface SharedGatewayRepositoryReader {
  read(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<SharedGatewayRepositoryState>;
  /** What the TLS listeners' one-per-Service check reads, as the shared-listener action reads it. */
  readTargetGroupConfigurations(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<SharedGatewayTargetGroupConfigurations>;
}

/**
 * {@link SharedGatewayRepositoryReader} over the GitOps repository: only a
 * repository `awsGateway.provisioning.gitops.allowedRepoUrls` allows, read
 * like the actions read it (the manifest on the Gateway's branch, then the
 * portal's open review pull requests).
 */
export function gitOpsSharedGatewayRepositoryReader(
  config: Config,
): SharedGatewayRepositoryReader {
  const repository = GitOpsRepository.fromConfig(config);
  const allowed = RepositoryUrlAllowList.fromGitOpsConfig(config);
  /** The Gateway's manifest on its branch and the open reviews, with or without their TargetGroupConfigurations. */
  const readBranchAndReviews = async (
    g: SharedGateway,
    signal: AbortSignal,
    targetGroupConfigurations: boolean,
  ) => {
    const repoUrl = allowed.check(g.gitops.repoUrl, 'gitops.repoUrl');
    const { file, committed } = await readSharedGatewayManifest(
      repository,
      repoUrl,
      g,
      { branch: g.gitops.branch, signal, targetGroupConfigurations },
    );
    const { gateway } = parseSharedGatewayManifest(g, file.content);
    const pending = await readPendingSharedReviews({
      repository,
      repoUrl,
      shared: g,
      baseGateway: gateway,
      signal,
      targetGroupConfigurations,
    });
    return { gateway, committed, pending };
  };
  return {
    async read(g, signal) {
      // The picker shows ports; a TLS listener's check reads the TargetGroupConfigurations (readTargetGroupConfigurations).
      const { gateway, pending } = await readBranchAndReviews(g, signal, false);
      return { listeners: gatewayListeners(gateway), pending };
    },
    async readTargetGroupConfigurations(g, signal) {
      const { committed, pending } = await readBranchAndReviews(
        g,
        signal,
        true,
      );
      return {
        found: [
          ...(committed?.found ?? []),
          ...(pending.targetGroupConfigurations ?? []),
        ],
        notes: [
          committed?.note,
          pending.targetGroupConfigurationsNote,
          // Not listed: what the reviews propose is not known at all.
          pending.listed ? undefined : pending.note,
        ].filter((n): n is string => Boolean(n)),
      };
    },
  };
}

/**
 * The expose form's shared Gateways: the configured ones on clusters the
 * actions may use, each with the ports left free by its live listeners, its
 * manifest on its branch and the portal's open review pull requests (those
 * shown as pending, with the pull request). Read only; each live Gateway and
 * repository is read once for concurrent requests and reused briefly; a
 * Gateway that cannot be read is listed with the reason, and what the
 * repository could not tell is said (`pendingNote`), never shown as free
 * without it.
 */
export class SharedGatewayFormOptions {
  static fromConfig(
    config: Config,
    deps: { service: FormOptionsService; logger: LoggerService },
  ): SharedGatewayFormOptions {
    return new SharedGatewayFormOptions({
      ...deps,
      gateways: readSharedGateways(config),
      reader: clientNodeSharedGatewayReader,
      repositoryReader: gitOpsSharedGatewayRepositoryReader(config),
    });
  }

  private readonly live = new Map<
    string,
    { at: number; value: Promise<unknown | undefined> }
  >();
  private readonly repositories = new Map<
    string,
    { at: number; value: Promise<SharedGatewayRepositoryState> }
  >();
  private readonly targetGroupConfigurations = new Map<
    string,
    { at: number; value: Promise<SharedGatewayTargetGroupConfigurations> }
  >();

  constructor(
    private readonly options: {
      gateways: SharedGateway[];
      service: FormOptionsService;
      reader: SharedGatewayReader;
      repositoryReader: SharedGatewayRepositoryReader;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async list(signal: AbortSignal): Promise<FormSharedGateway[]> {
    const allowed = new Set(
      this.options.service.gatewayGuardrails().allowedClusters,
    );
    return Promise.all(
      this.options.gateways
        .filter(g => allowed.has(g.cluster))
        .map(g => this.describe(g, signal)),
    );
  }

  private async describe(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<FormSharedGateway> {
    const base = {
      id: g.id,
      cluster: g.cluster,
      namespace: g.namespace,
      name: g.name,
      ...(g.title ? { title: g.title } : {}),
      protocols: [...g.protocols],
      ...(g.tlsHostnames.length ? { tlsHostnames: [...g.tlsHostnames] } : {}),
      admits: describeSharedRouteNamespaces(g.allowedRoutes),
    };
    const noPorts = { freePorts: [], takenPorts: [], pendingPorts: [] };
    // Both at once; the repository's answer never hides the cluster's.
    const repository = this.repositoryState(g, signal).then(
      state => ({ state }),
      (error: Error) => ({ error }),
    );
    try {
      const gateway = await this.liveGateway(g, signal);
      if (gateway === undefined) {
        return {
          ...base,
          ...noPorts,
          problem: `Gateway ${g.namespace}/${g.name} does not exist on cluster ${g.cluster} yet`,
        };
      }
      const read = await repository;
      signal.throwIfAborted();
      const live = gatewayListeners(gateway);
      if ('error' in read) {
        const { free, taken } = freeSharedPorts(g, live);
        return {
          ...base,
          freePorts: free,
          takenPorts: taken,
          pendingPorts: [],
          pendingNote: `the manifest in ${
            g.gitops.repoUrl
          } could not be read (${firstLine(
            read.error,
          )}): ports merged but not applied yet, or pending review, are not known`,
        };
      }
      const { listeners, pending } = read.state;
      const claims = pending.claims.filter(c =>
        g.listenerPorts.some(r => c.port >= r.from && c.port <= r.to),
      );
      return {
        ...base,
        freePorts: freeSharedPorts(g, live, listeners, claims).free,
        takenPorts: freeSharedPorts(g, live, listeners).taken,
        pendingPorts: claims.map(c => ({
          port: c.port,
          listenerName: c.name,
          pullRequestNumber: c.pullRequest.number,
          pullRequestUrl: c.pullRequest.url,
        })),
        ...(pending.note ? { pendingNote: pending.note } : {}),
      };
    } catch (error) {
      signal.throwIfAborted();
      return { ...base, ...noPorts, problem: (error as Error).message };
    }
  }

  /**
   * What `aws-gateway:endpoint:shared-listener` would refuse for a TLS
   * listener's TargetGroupConfiguration (the node library's rule and words,
   * field and rule included), before submit: another one for the form's
   * Service live on the cluster (read with the user's credentials, never
   * kept), committed on the shared Gateway's branch or added by an open
   * review pull request (the repository read like the action reads it,
   * reused briefly). `notes`: what the check could not see. Nothing for
   * another path, protocol or a form not filled in far enough; a value the
   * other rules refuse is theirs to name.
   */
  async checkTargetGroupConfiguration(
    values: EndpointFormValues,
    options: {
      signal: AbortSignal;
      userCredentials?: UserKubernetesCredentials;
    },
  ): Promise<{ issues: EndpointFormIssue[]; notes: string[] }> {
    const none = { issues: [], notes: [] };
    const { signal, userCredentials } = options;
    const { service } = this.options;
    const allowed = service.gatewayGuardrails().allowedClusters;
    const g = this.options.gateways.find(
      x => x.id === values.sharedGateway && allowed.includes(x.cluster),
    );
    if (
      values.gatewayKind !== 'shared' ||
      values.protocol !== 'TLS' ||
      !g ||
      !values.namespace ||
      !values.serviceName ||
      !values.routeName
    ) {
      return none;
    }
    let detected;
    try {
      detected = await service.detectOnCluster(
        g.cluster,
        signal,
        userCredentials,
      );
    } catch {
      signal.throwIfAborted();
      // The cluster's problem is the picker's and the cluster check's to say.
    }
    const profile =
      CONTROLLER_PROFILES[
        detected?.profile?.id ??
          service.gatewayGuardrails().defaultControllerProfile
      ];
    let manifests: KubernetesManifest[];
    try {
      manifests = renderSharedRouteManifests(
        g,
        {
          sharedGateway: g.id,
          namespace: values.namespace,
          listenerName: values.listenerName ?? '',
          listenerPort: values.listenerPort ?? 0,
          protocol: 'TLS',
          ...(values.tlsHostname ? { hostname: values.tlsHostname } : {}),
          routeName: values.routeName,
          backend: {
            service: values.serviceName,
            port: values.servicePort ?? 0,
          },
        },
        profile,
      ).map(m => m.manifest);
    } catch {
      // A route name that makes no Kubernetes name: the form's rules name it.
      return none;
    }
    const notes: string[] = [];
    let found: FoundTargetGroupConfiguration[] = [];
    try {
      const committed = await this.reused(
        this.targetGroupConfigurations,
        g,
        signal,
        readSignal =>
          this.options.repositoryReader.readTargetGroupConfigurations(
            g,
            readSignal,
          ),
      );
      found = committed.found;
      notes.push(...committed.notes);
    } catch (error) {
      signal.throwIfAborted();
      this.options.logger.warn(
        `Shared gateway form: could not read the TargetGroupConfigurations of ${
          g.id
        }: ${firstLine(error)}`,
      );
      notes.push(
        `the files of ${g.gitops.repoUrl} could not be read (${firstLine(
          error,
        )}): TargetGroupConfigurations committed but not applied yet, or in open pull requests, are not known`,
      );
    }
    let problems: SharedListenerProblem[] = [];
    try {
      const kubeConfig = await service.openCluster(
        g.cluster,
        signal,
        userCredentials,
      );
      problems = await this.options.reader.targetGroupConfigurationProblems(
        kubeConfig,
        manifests,
        found,
        signal,
      );
    } catch (error) {
      signal.throwIfAborted();
      const read = clusterReadError(error, {
        cluster: g.cluster,
        what: `list TargetGroupConfigurations in namespace ${values.namespace}`,
        signal,
        logger: this.options.logger,
      });
      notes.push(
        `the TargetGroupConfigurations live on cluster ${g.cluster} could not be read (${read.message})`,
      );
    }
    const note = targetGroupConfigurationCheckNote(notes);
    return {
      issues: problems.map(p => ({
        field: p.field,
        rule: p.rule,
        message: p.message,
      })),
      notes: note ? [note] : [],
    };
  }

  private liveGateway(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<unknown | undefined> {
    return this.reused(this.live, g, signal, readSignal => {
      const what = `read Gateway ${g.namespace}/${g.name}`;
      return this.options.service
        .openCluster(g.cluster, readSignal)
        .then(kc =>
          this.options.reader.readGateway(kc, g.namespace, g.name, readSignal),
        )
        .catch(error => {
          throw clusterReadError(error, {
            cluster: g.cluster,
            what,
            signal: readSignal,
            logger: this.options.logger,
          });
        });
    });
  }

  private repositoryState(
    g: SharedGateway,
    signal: AbortSignal,
  ): Promise<SharedGatewayRepositoryState> {
    return this.reused(this.repositories, g, signal, readSignal =>
      this.options.repositoryReader.read(g, readSignal).catch(error => {
        this.options.logger.warn(
          `Shared gateway form: could not read ${g.gitops.path} of ${
            g.id
          }: ${firstLine(error)}`,
        );
        throw error;
      }),
    );
  }

  /** One read of `g` for concurrent requests, reused briefly; a failure is not kept. */
  private reused<T>(
    cache: Map<string, { at: number; value: Promise<T> }>,
    g: SharedGateway,
    signal: AbortSignal,
    read: (readSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const now = (this.options.now ?? Date.now)();
    let entry = cache.get(g.id);
    if (!entry || now - entry.at > LIVE_GATEWAY_TTL_MS) {
      // Shared by concurrent requests: the reads' own deadlines, not one request's signal.
      const value = read(new AbortController().signal);
      entry = { at: now, value };
      cache.set(g.id, entry);
      value.catch(() => {
        if (cache.get(g.id)?.value === value) cache.delete(g.id);
      });
    }
    return untilAborted(entry.value, signal);
  }
}

/** An error's own first line: the portal's errors name no secret. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split(
    '\n',
  )[0];
}
