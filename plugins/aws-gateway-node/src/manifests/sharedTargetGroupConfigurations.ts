import {
  endpointTargetPath,
  LBC_API_GROUP_NAME,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import yaml from 'yaml';
import {
  MAX_READ_FILE_BYTES,
  MAX_READ_FILES_BELOW,
} from '../gitops/directoryFiles';
import {
  GitOpsFile,
  GitOpsFilesBelow,
  GitOpsFilesBelowQuery,
} from '../gitops/types';
import {
  abortableCall,
  KUBERNETES_CALL_TIMEOUT_MS,
} from '../kubernetes/abortSignal';
import {
  SHARED_LISTENER_PORT_ANNOTATION,
  SharedListenerProblem,
  sharedListenerProblemsError,
} from './sharedListener';
import { KubernetesManifest } from './types';

/**
 * A TLS listener on a shared Gateway brings a TargetGroupConfiguration for
 * its Service (protocol TCP behind the passthrough listener). The
 * controller applies the first TargetGroupConfiguration it finds for a
 * Service, in the Service's namespace, to every target group of that
 * Service, so a second one for the same Service is silently ignored (or
 * ignores ours), and one of the same name would be overwritten by GitOps.
 * Both are refused, read-only, before anything is written — live on the
 * cluster, committed in the GitOps repository but not applied yet, or
 * proposed by another open review pull request.
 *
 * One already saying `protocol: TCP` with ip targets would serve the
 * listener as well, but is not reused: it belongs to the endpoint that wrote
 * it, whose change (a TLS listener turned TCP drops `protocol: TCP`) or
 * removal would silently leave this passthrough listener TLS target groups,
 * which AWS refuses (IncompatibleProtocols), and neither removal could tell
 * that the other still relies on it.
 */

/** A TargetGroupConfiguration found live or in the repository (untrusted), and where, for messages. @public */
export interface FoundTargetGroupConfiguration {
  item: unknown;
  /** Where it is, in words: "live on the cluster", a file path on a branch, a pull request URL. */
  where: string;
}

/**
 * Where the portal's TargetGroupConfigurations are committed: two folders
 * below the roots of the layout (`gateways/<namespace>/<gateway>/`,
 * `shared-gateway-routes/<namespace>/<route>/`).
 *
 * @public
 */
export const COMMITTED_TARGET_GROUP_CONFIGURATION_FILES: GitOpsFilesBelowQuery =
  {
    directories: [
      endpointTargetPath('namespace', 'name'),
      sharedListenerTargetPath('namespace', 'name'),
    ].map(p => p.split('/').slice(0, -2).join('/')),
    depth: 2,
  };

/**
 * What a read of the committed TargetGroupConfiguration files (`below`, of
 * `where`: a branch, a pull request) could not see, naming the bound it met;
 * undefined when it saw every file. Said to the developer: the check then
 * rests on what was read and on the live cluster.
 *
 * @public
 */
export function committedFilesBoundNote(
  below: GitOpsFilesBelow,
  where: string,
): string | undefined {
  if (below.complete) return undefined;
  const folders = COMMITTED_TARGET_GROUP_CONFIGURATION_FILES.directories
    .map(d => `${d}/`)
    .join(' and ');
  // The walk stops at the count bound; short of it, a file was left out for its size.
  const bound =
    below.files.length >= MAX_READ_FILES_BELOW
      ? `it stopped at the bound of ${MAX_READ_FILES_BELOW} files`
      : `files over the bound of ${
          MAX_READ_FILE_BYTES / 1024
        } KiB each were left out`;
  return `not every file below ${folders} ${where} was read for TargetGroupConfigurations (${bound}): one for the Service there may be missed`;
}

/**
 * What the one-per-Service check could not see (`notes`: each read's), in the
 * words the action's output and the expose form's check both use; undefined
 * when it saw everything.
 *
 * @public
 */
export function targetGroupConfigurationCheckNote(
  notes: Array<string | undefined>,
): string | undefined {
  const unseen = notes.filter((n): n is string => Boolean(n));
  return unseen.length
    ? `The TargetGroupConfiguration check could not see every file: ${unseen.join(
        '; ',
      )}`
    : undefined;
}

/**
 * The TargetGroupConfigurations among committed files (hostile: every YAML
 * document of each file, no aliases; what does not parse is no object a
 * GitOps agent applies). Pure.
 *
 * @public
 */
export function committedTargetGroupConfigurations(
  files: GitOpsFile[],
  where: (file: GitOpsFile) => string,
): FoundTargetGroupConfiguration[] {
  return files
    .filter(f => /\.ya?ml$/.test(f.path))
    .flatMap(file =>
      yaml.parseAllDocuments(file.content).flatMap(doc => {
        if (!('errors' in doc) || doc.errors.length) return [];
        let item: any;
        try {
          item = doc.toJS({ maxAliasCount: 0 });
        } catch {
          return [];
        }
        return item?.kind === 'TargetGroupConfiguration' &&
          typeof item.apiVersion === 'string' &&
          item.apiVersion.startsWith(`${LBC_API_GROUP_NAME}/`)
          ? [{ item, where: where(file) }]
          : [];
      }),
    );
}

/** The TargetGroupConfigurations of a namespace, as the API server returns them (untrusted). @public */
export async function readTargetGroupConfigurations(
  kubeConfig: KubeConfig,
  namespace: string,
  apiVersion: string,
  signal?: AbortSignal,
  timeoutMs: number = KUBERNETES_CALL_TIMEOUT_MS,
): Promise<unknown[]> {
  const list: any = await kubeConfig
    .makeApiClient(CustomObjectsApi)
    .listNamespacedCustomObject(
      {
        group: LBC_API_GROUP_NAME,
        version: apiVersion.slice(LBC_API_GROUP_NAME.length + 1),
        namespace,
        plural: 'targetgroupconfigurations',
      },
      abortableCall(signal, timeoutMs),
    );
  return Array.isArray(list?.items) ? list.items : [];
}

/**
 * TargetGroupConfigurations that stand in the way of `ours` (one the
 * shared-listener action renders): another one for the same Service, or one
 * of the same name the portal did not write for a shared listener (no
 * listener-port mark). Ours, as an earlier run wrote it, is not in the way.
 * Pure.
 *
 * @public
 */
export function targetGroupConfigurationConflicts(
  ours: KubernetesManifest,
  found: FoundTargetGroupConfiguration[],
  field: string = 'serviceName',
): SharedListenerProblem[] {
  const service = ours.spec?.targetReference?.name;
  const namespace = ours.metadata.namespace;
  const at = `${namespace}/${service}`;
  return found.flatMap(({ item, where }: { item: any; where: string }) => {
    const name = item?.metadata?.name;
    // A listed item is in the namespace asked for; a committed one says its own.
    if ((item?.metadata?.namespace ?? namespace) !== namespace) return [];
    const target = item?.spec?.targetReference;
    const forService =
      (target?.kind ?? 'Service') === 'Service' && target?.name === service;
    const isOurs =
      name === ours.metadata.name &&
      typeof item?.metadata?.annotations?.[SHARED_LISTENER_PORT_ANNOTATION] ===
        'string' &&
      item?.metadata?.labels?.['app.kubernetes.io/managed-by'] ===
        ours.metadata.labels?.['app.kubernetes.io/managed-by'];
    if (isOurs || (!forService && name !== ours.metadata.name)) return [];
    const defaults = item?.spec?.defaultConfiguration;
    const servesTcp =
      defaults?.protocol === 'TCP' &&
      defaults?.targetType === ours.spec?.defaultConfiguration?.targetType;
    let message: string;
    if (!forService) {
      message = `TargetGroupConfiguration ${namespace}/${name} exists (${where}) and is not the one the portal writes for this listener: committing would replace it — choose another route name`;
    } else if (servesTcp) {
      message = `Service ${at} already has TargetGroupConfiguration ${name} (${where}); it says protocol TCP with ${defaults.targetType} targets, as this listener needs, but it is not reused: it belongs to the endpoint that wrote it, whose change or removal would silently leave this passthrough listener TLS target groups, which AWS refuses — expose the Service on TCP, or through the endpoint that owns it`;
    } else {
      message = `Service ${at} already has TargetGroupConfiguration ${name} (${where}): the controller applies only one per Service, and behind a TLS Passthrough listener it must say protocol TCP — expose the Service on TCP, or remove that TargetGroupConfiguration first`;
    }
    return [
      { field, rule: 'shared-target-group-configuration-taken', message },
    ];
  });
}

/**
 * What the one-TargetGroupConfiguration-per-Service check reads beside the
 * cluster: the ones `committed` in GitOps but not applied, the input `field`
 * its problems name, and the caller's `signal`.
 *
 * @public
 */
export interface TargetGroupConfigurationCheckOptions {
  committed?: FoundTargetGroupConfiguration[];
  field?: string;
  signal?: AbortSignal;
}

/**
 * What stands in the way of the TargetGroupConfigurations among `manifests`
 * (none: nothing): live ones (read here, with the provisioning calls'
 * deadline and `signal`) and `committed` ones (the base branch, the open
 * review pull requests: read by the caller from what it already fetched).
 * Reads only. The expose form shows these before submit; the actions refuse
 * them ({@link assertTargetGroupConfigurationsFree}).
 *
 * @public
 */
export async function targetGroupConfigurationProblems(
  kubeConfig: KubeConfig,
  manifests: KubernetesManifest[],
  options: TargetGroupConfigurationCheckOptions = {},
): Promise<SharedListenerProblem[]> {
  const ours = manifests.filter(m => m.kind === 'TargetGroupConfiguration');
  return (
    await Promise.all(
      ours.map(async m =>
        targetGroupConfigurationConflicts(
          m,
          [
            ...(
              await readTargetGroupConfigurations(
                kubeConfig,
                m.metadata.namespace!,
                m.apiVersion,
                options.signal,
              )
            ).map(item => ({ item, where: 'live on the cluster' })),
            ...(options.committed ?? []),
          ],
          options.field,
        ),
      ),
    )
  ).flat();
}

/** The refusal's summary, before the problems (the form shows the problems alone). */
export const TARGET_GROUP_CONFIGURATION_REFUSAL = `The TargetGroupConfiguration of the listener's Service cannot be written`;

/**
 * Refuses (InputError naming the field and the rule) the TargetGroupConfigurations
 * among `manifests` that others stand in the way of
 * ({@link targetGroupConfigurationProblems}). Reads only.
 *
 * @public
 */
export async function assertTargetGroupConfigurationsFree(
  kubeConfig: KubeConfig,
  manifests: KubernetesManifest[],
  options: TargetGroupConfigurationCheckOptions = {},
): Promise<void> {
  const problems = await targetGroupConfigurationProblems(
    kubeConfig,
    manifests,
    options,
  );
  if (problems.length) {
    throw sharedListenerProblemsError(
      TARGET_GROUP_CONFIGURATION_REFUSAL,
      problems,
    );
  }
}
