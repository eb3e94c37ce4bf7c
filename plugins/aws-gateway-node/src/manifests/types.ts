/**
 * A Kubernetes object as rendered: plain JSON, ready for YAML or for the API
 * server.
 *
 * @public
 */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, any>;
  [key: string]: unknown;
}

/** A manifest and the workspace-relative file it is written to. @public */
export interface RenderedManifest {
  /** File name relative to the output directory, e.g. `gateway-aws-tcp-gateway.yaml`. */
  path: string;
  manifest: KubernetesManifest;
}

/** What the cluster says about a backend Service (for the target-type rules). @public */
export interface ObservedService {
  namespace: string;
  name: string;
  type: string;
  ports: number[];
}

/** `Kind/name` of a manifest, as used in issue fields and messages. @public */
export function manifestId(manifest: KubernetesManifest): string {
  return `${manifest.kind}/${manifest.metadata?.name ?? '<unnamed>'}`;
}
