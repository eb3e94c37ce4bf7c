import {
  BackstageCredentials,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  CONTROLLER_PROFILES,
  FormCluster,
  FormGuardrails,
  FormService,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  DetectedControllerProfile,
  GatewayGuardrails,
  KubernetesClusters,
  NamespaceGrant,
  namespaceGrantees,
  readGatewayGuardrails,
  readNamespaceGrants,
  readPlatformTeams,
  untilAborted,
  clusterNeedsUserToken,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClientNodeFormClusterReader,
  clusterReadError,
  FormClusterReader,
} from './clusterReads';

/** How long a cluster's detected controller profile is reused (discovery is several calls). */
const PROFILE_TTL_MS = 60_000;

/** Reads of one namespace the user may use (see {@link FormOptionsService.openNamespace}). */
export interface NamespaceReads {
  /** `what` names the read in errors (`list Services in namespace apps`). */
  read<T>(
    what: string,
    call: (kubeConfig: KubeConfig) => Promise<T>,
  ): Promise<T>;
}

/** Who is asking, as the expose action's ownership rule sees them. */
export interface FormUser {
  /** Lower-cased ownership refs of the signed-in user. */
  ownershipRefs: Set<string>;
  /** Platform engineers (or everyone, when the rule is off) may use every namespace. */
  unrestricted: boolean;
}

export interface FormOptionsServiceOptions {
  logger: LoggerService;
  userInfo: Pick<UserInfoService, 'getUserInfo'>;
  guardrails: GatewayGuardrails;
  /** Normalised refs; undefined: the ownership rule is off (development profile). */
  platformTeams?: string[];
  namespaceGrants: NamespaceGrant[];
  clusters: KubernetesClusters;
  reader: FormClusterReader;
  now?: () => number;
}

/**
 * What the expose template's pickers may offer a user: the clusters endpoints
 * may be checked against (with the controller profile detected on each), the
 * namespaces the user may use there (the expose action's guardrails and
 * ownership rule, from the same settings and readers), and the Services and
 * ports in one of those namespaces. Read-only.
 */
export class FormOptionsService {
  /** The guardrails and ownership settings, through the readers the actions use. */
  static settingsFromConfig(
    config: Config,
  ): Pick<
    FormOptionsServiceOptions,
    'guardrails' | 'platformTeams' | 'namespaceGrants'
  > {
    return {
      guardrails: readGatewayGuardrails(config),
      platformTeams: readPlatformTeams(config),
      namespaceGrants: readNamespaceGrants(config),
    };
  }

  static fromConfig(
    config: Config,
    deps: Pick<FormOptionsServiceOptions, 'logger' | 'userInfo' | 'clusters'>,
  ): FormOptionsService {
    return new FormOptionsService({
      ...FormOptionsService.settingsFromConfig(config),
      ...deps,
      reader: new ClientNodeFormClusterReader(),
    });
  }

  private readonly profiles = new Map<
    string,
    { at: number; detected: Promise<DetectedControllerProfile> }
  >();

  constructor(private readonly options: FormOptionsServiceOptions) {}

  /** The render action's guardrails, read once from `awsGateway.provisioning`. */
  gatewayGuardrails(): GatewayGuardrails {
    return this.options.guardrails;
  }

  guardrails(): FormGuardrails {
    const g = this.options.guardrails;
    return {
      allowedListenerPorts: g.allowedListenerPorts.map(r => ({ ...r })),
      internetFacingNeedsSourceCidrs: !g.allowOpenToWorld,
      minSourceRangePrefixLength: { ...g.minSourceRangePrefixLength },
      ...(g.allowedNamespaces
        ? { allowedNamespaces: [...g.allowedNamespaces] }
        : {}),
      defaultControllerProfile: g.defaultControllerProfile,
    };
  }

  async user(credentials: BackstageCredentials): Promise<FormUser> {
    const { platformTeams } = this.options;
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      credentials,
    );
    const ownershipRefs = new Set(
      ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
    );
    return {
      ownershipRefs,
      unrestricted:
        platformTeams === undefined ||
        platformTeams.some(team => ownershipRefs.has(team)),
    };
  }

  /** Why the user may not put an endpoint in a namespace, or undefined when they may. */
  namespaceRefusal(
    user: FormUser,
    cluster: string | undefined,
    namespace: string,
  ): string | undefined {
    const allowed = this.options.guardrails.allowedNamespaces;
    if (allowed && !allowed.includes(namespace)) {
      return `Endpoints may not go to namespace ${namespace}; choose one of ${
        allowed.join(', ') || 'none'
      }`;
    }
    if (user.unrestricted) return undefined;
    const grantees = namespaceGrantees(
      this.options.namespaceGrants,
      namespace,
      cluster,
    );
    if (grantees && !grantees.some(owner => user.ownershipRefs.has(owner))) {
      return `Namespace ${namespace} belongs to another team; choose a namespace of your team`;
    }
    return undefined;
  }

  /** The allowed clusters that are configured, each with its detected controller profile. */
  async listClusters(
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<FormCluster[]> {
    const configured = await this.listKubernetesClusters(signal);
    const allowed = configured.filter(c =>
      this.options.guardrails.allowedClusters.includes(c.name),
    );
    return Promise.all(
      allowed.map(async c => ({
        name: c.name,
        ...(c.title ? { title: c.title } : {}),
        ...(await this.describeProfile(c.name, signal, userCredentials)),
      })),
    );
  }

  async listNamespaces(
    cluster: string,
    credentials: BackstageCredentials,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<string[]> {
    const kubeConfig = await this.openCluster(cluster, signal, userCredentials);
    const userToken = await this.takesUserToken(cluster, signal);
    const [user, names] = await Promise.all([
      this.user(credentials),
      this.read(
        cluster,
        'list namespaces',
        signal,
        () => this.options.reader.listNamespaces(kubeConfig, signal),
        userToken,
      ),
    ]);
    return names
      .filter(ns => !this.namespaceRefusal(user, cluster, ns))
      .sort((a, b) => a.localeCompare(b));
  }

  async listServices(
    cluster: string,
    namespace: string,
    credentials: BackstageCredentials,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<FormService[]> {
    const reads = await this.openNamespace(
      cluster,
      namespace,
      credentials,
      signal,
      userCredentials,
    );
    const services = await reads.read(
      `list Services in namespace ${namespace}`,
      kubeConfig =>
        this.options.reader.listServices(kubeConfig, namespace, signal),
    );
    return services.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * A namespace the user may use on an allowed cluster, opened with the
   * user's token where the cluster takes one; refused (403) before anything
   * is read otherwise. Each `read` fails as the form's other reads do.
   */
  async openNamespace(
    cluster: string,
    namespace: string,
    credentials: BackstageCredentials,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<NamespaceReads> {
    const kubeConfig = await this.openCluster(cluster, signal, userCredentials);
    const userToken = await this.takesUserToken(cluster, signal);
    const refusal = this.namespaceRefusal(
      await this.user(credentials),
      cluster,
      namespace,
    );
    if (refusal) throw new NotAllowedError(refusal);
    return {
      read: (what, call) =>
        this.read(cluster, what, signal, () => call(kubeConfig), userToken),
    };
  }

  /**
   * What API discovery says on an allowed cluster. Shared by concurrent
   * requests and reused for a minute; a failure is not kept. On a cluster
   * that takes the user's own token it is read with this user's token for
   * this request alone: nothing read with one user's credentials is kept
   * for another.
   */
  async detectOnCluster(
    cluster: string,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<DetectedControllerProfile> {
    if (
      userCredentials &&
      !userCredentials.isEmpty &&
      (await this.takesUserToken(cluster, signal))
    ) {
      const kc = await this.openCluster(cluster, signal, userCredentials);
      return this.read(
        cluster,
        'read the API discovery',
        signal,
        () => this.options.reader.detectProfile(kc, signal),
        true,
      );
    }
    const now = (this.options.now ?? Date.now)();
    let entry = this.profiles.get(cluster);
    if (!entry || now - entry.at > PROFILE_TTL_MS) {
      // Detection outlives one request (others share it): its own deadline only.
      const detectionSignal = new AbortController().signal;
      const detected = this.openCluster(cluster, detectionSignal).then(kc =>
        this.read(cluster, 'read the API discovery', detectionSignal, () =>
          this.options.reader.detectProfile(kc, detectionSignal),
        ),
      );
      entry = { at: now, detected };
      this.profiles.set(cluster, entry);
      detected.catch(() => {
        if (this.profiles.get(cluster)?.detected === detected) {
          this.profiles.delete(cluster);
        }
      });
    }
    return untilAborted(entry.detected, signal);
  }

  /** The cluster's detected profile for the picker; `problem` says why there is none. */
  async describeProfile(
    cluster: string,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<Pick<FormCluster, 'controllerProfile' | 'problem'>> {
    try {
      const detected = await this.detectOnCluster(
        cluster,
        signal,
        userCredentials,
      );
      if (!detected.profile) {
        this.options.logger.info(
          `form options: no controller profile on cluster ${cluster}: ${detected.problem}`,
        );
        return {
          problem:
            'The Gateway API or AWS Load Balancer Controller CRDs this portal supports are not installed on this cluster',
        };
      }
      const { id, title } = CONTROLLER_PROFILES[detected.profile.id];
      return { controllerProfile: { id, title } };
    } catch (error) {
      signal.throwIfAborted();
      return { problem: (error as Error).message };
    }
  }

  /** The Kubernetes plugin's clusters; its refusals and failures as they are (already worded for users). */
  private async listKubernetesClusters(signal: AbortSignal) {
    try {
      return await this.options.clusters.listClusters({ signal });
    } catch (error) {
      signal.throwIfAborted();
      this.options.logger.warn(
        `form options: listing the Kubernetes plugin's clusters failed: ${
          (error as Error)?.message ?? error
        }`,
      );
      throw error;
    }
  }

  /** Whether the Kubernetes plugin reaches this cluster with the user's own token. */
  private async takesUserToken(
    cluster: string,
    signal: AbortSignal,
  ): Promise<boolean> {
    const listed = (await this.listKubernetesClusters(signal)).find(
      c => c.name === cluster,
    );
    return listed !== undefined && clusterNeedsUserToken(listed);
  }

  /**
   * A KubeConfig for a cluster the actions may use (with the user's token
   * when the cluster takes one); 403 or 404 otherwise.
   */
  async openCluster(
    cluster: string,
    signal: AbortSignal,
    userCredentials?: UserKubernetesCredentials,
  ): Promise<KubeConfig> {
    if (!this.options.guardrails.allowedClusters.includes(cluster)) {
      throw new NotAllowedError(
        `Endpoints cannot be checked against cluster ${cluster}; choose a cluster from the list`,
      );
    }
    const clusters = await this.listKubernetesClusters(signal);
    if (!clusters.some(c => c.name === cluster)) {
      this.options.logger.warn(
        `form options: cluster ${cluster} is in awsGateway.provisioning.allowedClusters but not one of the Kubernetes plugin's clusters`,
      );
      throw new NotFoundError(`Cluster ${cluster} is not available`);
    }
    return this.options.clusters.getKubeConfig(cluster, {
      signal,
      userCredentials,
    });
  }

  private async read<T>(
    cluster: string,
    what: string,
    signal: AbortSignal,
    call: () => Promise<T>,
    /** Whether the call went with the user's own token (the cluster takes one). */
    userToken = false,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw clusterReadError(error, {
        cluster,
        what,
        signal,
        logger: this.options.logger,
        userToken,
      });
    }
  }
}
