import {
  AWS_GATEWAY_ACTION_ID,
  KubernetesManifest,
} from '@gateway-portal/plugin-aws-gateway-node';
import { L4_ROUTE_KINDS } from '@gateway-portal/plugin-aws-gateway-common';
import yaml from 'yaml';
import {
  BundleFile,
  BundleGuardrails,
  HELM_VALUES_FILE,
  refuse,
  RenderedBundle,
} from './bundleChecks';
import { verifyControllerBundle } from './controllerBundle';
import { verifyEndpointBundle } from './endpointBundle';

/**
 * What `aws-gateway:gitops:commit` accepts: exactly the files one of our
 * render actions produces, checked again on the server before any git call.
 *
 * Rather than trusting the files (a user-registered template could hand over
 * a cluster-admin ClusterRoleBinding), each file is parsed, the render input
 * is rebuilt from the manifests, checked against the guardrails with the node
 * library's own rules, rendered again, and every file must come out byte for
 * byte (Helm values: the same values, comment lines aside). No shared secret
 * is needed, so any backend replica can check any task's files.
 *
 * The repository path is part of the bundle, not an input: one Gateway lives
 * at `gateways/<namespace>/<name>`, one cluster's controller setup at
 * `clusters/<cluster>/aws-load-balancer-controller`.
 */

export type { BundleGuardrails, RenderedBundle } from './bundleChecks';

/** The kinds an endpoint's render writes. */
export const ENDPOINT_KINDS = [
  'Gateway',
  ...L4_ROUTE_KINDS,
  'LoadBalancerConfiguration',
  'TargetGroupConfiguration',
];
const CONTROLLER_KINDS = ['GatewayClass', 'LoadBalancerConfiguration'];
/**
 * Names of the files a render writes (`<kind>-<name>.yaml`, the Helm values):
 * in a bundle's folder, such a file that this render did not produce is what
 * another render of the same object left there, and is a conflict.
 */
export const RENDERED_FILE_NAME = new RegExp(
  `^((${[...ENDPOINT_KINDS, ...CONTROLLER_KINDS]
    .map(k => k.toLowerCase())
    .join('|')})-[a-z0-9.-]+\\.yaml|${HELM_VALUES_FILE.replace(
    /\./g,
    '\\.',
  )})$`,
);
/** One rendered file's manifest; refuses anything the render actions never write. */
export function parseManifest(file: BundleFile): KubernetesManifest {
  const docs = yaml.parseAllDocuments(file.content);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1 || list[0].errors.length) {
    throw refuse(
      file.name,
      'not-rendered',
      'must hold exactly one YAML document, as the render actions write',
    );
  }
  let m: any;
  try {
    // The render actions write no aliases: refusing them also stops alias expansion bombs.
    m = list[0].toJS({ maxAliasCount: 0 });
  } catch {
    throw refuse(
      file.name,
      'not-rendered',
      'uses YAML aliases, which the render actions never write',
    );
  }
  if (
    !m ||
    typeof m !== 'object' ||
    typeof m.kind !== 'string' ||
    typeof m.apiVersion !== 'string' ||
    typeof m.metadata?.name !== 'string'
  ) {
    throw refuse(
      file.name,
      'not-rendered',
      'is not a Kubernetes manifest with apiVersion, kind and metadata.name',
    );
  }
  return m as KubernetesManifest;
}

/** Verifies the files and returns where they belong; refuses with an InputError naming the file and the rule. */
export function verifyRenderedBundle(
  files: BundleFile[],
  guardrails: BundleGuardrails,
): RenderedBundle {
  const manifests = files
    .filter(f => f.name !== HELM_VALUES_FILE)
    .map(f => ({ file: f.name, manifest: parseManifest(f) }));
  const values = files.find(f => f.name === HELM_VALUES_FILE);
  const isController =
    !!values || manifests.some(m => m.manifest.kind === 'GatewayClass');
  const allowed = isController ? CONTROLLER_KINDS : ENDPOINT_KINDS;
  for (const { file, manifest } of manifests) {
    if (!allowed.includes(manifest.kind)) {
      throw refuse(
        file,
        'foreign-kind',
        `is a ${manifest.kind}; aws-gateway:gitops:commit commits only what ${
          AWS_GATEWAY_ACTION_ID.renderEndpoint
        } (${ENDPOINT_KINDS.join(', ')}) or ${
          AWS_GATEWAY_ACTION_ID.renderController
        } (${CONTROLLER_KINDS.join(
          ', ',
        )}, Helm values) renders, never both at once`,
      );
    }
  }
  return isController
    ? verifyControllerBundle(files, manifests, values, guardrails)
    : verifyEndpointBundle(files, manifests, guardrails);
}
