import { LBC_API_GROUP_NAME } from '@gateway-portal/plugin-aws-gateway-common';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
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
 * Both are refused, read-only, before anything is written.
 */

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
 * Live TargetGroupConfigurations that stand in the way of `ours` (one the
 * shared-listener action renders): another one for the same Service, or one
 * of the same name the portal did not write for a shared listener (no
 * listener-port mark). Ours, as an earlier run wrote it, is not in the way.
 * Pure.
 *
 * @public
 */
export function targetGroupConfigurationConflicts(
  ours: KubernetesManifest,
  live: unknown[],
): SharedListenerProblem[] {
  const service = ours.spec?.targetReference?.name;
  const where = `${ours.metadata.namespace}/${service}`;
  return live.flatMap((item: any) => {
    const name = item?.metadata?.name;
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
    return [
      {
        field: 'serviceName',
        rule: 'shared-target-group-configuration-taken',
        message: forService
          ? `Service ${where} already has TargetGroupConfiguration ${name}: the controller applies only one per Service, and behind a TLS Passthrough listener it must say protocol TCP — expose the Service on TCP, or remove that TargetGroupConfiguration first`
          : `TargetGroupConfiguration ${ours.metadata.namespace}/${name} exists and is not the one the portal writes for this listener: committing would replace it — choose another route name`,
      },
    ];
  });
}

/**
 * Refuses (InputError naming the field and the rule) the TargetGroupConfigurations
 * among `manifests` that live ones stand in the way of. Reads only, with the
 * provisioning calls' deadline and `signal`.
 *
 * @public
 */
export async function assertTargetGroupConfigurationsFree(
  kubeConfig: KubeConfig,
  manifests: KubernetesManifest[],
  signal?: AbortSignal,
): Promise<void> {
  const ours = manifests.filter(m => m.kind === 'TargetGroupConfiguration');
  const problems = (
    await Promise.all(
      ours.map(async m =>
        targetGroupConfigurationConflicts(
          m,
          await readTargetGroupConfigurations(
            kubeConfig,
            m.metadata.namespace!,
            m.apiVersion,
            signal,
          ),
        ),
      ),
    )
  ).flat();
  if (problems.length) {
    throw sharedListenerProblemsError(
      `The TargetGroupConfiguration of the listener's Service cannot be written`,
      problems,
    );
  }
}
