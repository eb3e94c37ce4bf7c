import * as k8s from '@kubernetes/client-node';

/**
 * Server-side applies `manifest` as `fieldManager`, the way a GitOps agent
 * would, and records it in `applied` for {@link deleteApplied}.
 */
export async function serverSideApply(
  objects: k8s.KubernetesObjectApi,
  manifest: k8s.KubernetesObject,
  fieldManager: string,
  applied: k8s.KubernetesObject[],
): Promise<k8s.KubernetesObject> {
  const result = await objects.patch(
    manifest,
    undefined,
    undefined,
    fieldManager,
    true,
    k8s.PatchStrategy.ServerSideApply,
  );
  applied.push({
    apiVersion: manifest.apiVersion,
    kind: manifest.kind,
    metadata: {
      name: manifest.metadata!.name,
      namespace: manifest.metadata!.namespace,
    },
  });
  return result;
}

/** Deletes what {@link serverSideApply} applied, newest first; an object already gone is fine. */
export async function deleteApplied(
  kc: k8s.KubeConfig,
  applied: k8s.KubernetesObject[],
): Promise<void> {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const object of applied.reverse()) {
    await objects.delete(object).catch(() => undefined);
  }
}
