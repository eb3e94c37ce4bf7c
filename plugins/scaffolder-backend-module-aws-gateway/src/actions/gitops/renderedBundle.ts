import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import {
  CONTROLLER_PROFILES,
  ControllerProfile,
  controllerTargetPath,
  ENTITY_REF_ANNOTATION,
  endpointTargetPath,
  EndpointHealthCheck,
  EndpointSpec,
  KUBERNETES_ID_LABEL,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  ControllerSetupSpec,
  dnsLabelIssue,
  dnsSubdomainIssue,
  gatewayClassIssue,
  GatewayGuardrails,
  KubernetesManifest,
  loadBalancerTagIssues,
  manifestToYaml,
  renderControllerHelmValues,
  renderControllerManifests,
  renderEndpointManifests,
  sourceRangeIssues,
  validateEndpointSpec,
} from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { manifestIssuesError } from '../support/manifestIssues';

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

// The layout's one home is the common package (the expose form shows the same paths).
export { controllerTargetPath, endpointTargetPath };

/** A verified set of files and the one place they live in the repository. */
export interface RenderedBundle {
  kind: 'endpoint' | 'controller';
  /** `Gateway default/aws-tcp-gateway`, `controller setup of cluster prod-eu`. */
  subject: string;
  targetPath: string;
  profile: ControllerProfile;
  files: Array<{ name: string; content: string }>;
}

export interface BundleGuardrails {
  gatewayGuardrails: GatewayGuardrails;
  awsGuardrails: AwsGuardrails;
}

const RENDER_ENDPOINT = 'aws-gateway:endpoint:render';
const RENDER_CONTROLLER = 'aws-gateway:controller:render';
const HELM_VALUES_FILE = 'aws-load-balancer-controller-values.yaml';
const ROUTE_KINDS = ['TCPRoute', 'UDPRoute', 'TLSRoute'];
const ENDPOINT_KINDS = ['Gateway', ...ROUTE_KINDS, 'LoadBalancerConfiguration', 'TargetGroupConfiguration'];
const CONTROLLER_KINDS = ['GatewayClass', 'LoadBalancerConfiguration'];
/**
 * Names of the files a render writes (`<kind>-<name>.yaml`, the Helm values):
 * in a bundle's folder, such a file that this render did not produce is what
 * another render of the same object left there, and is a conflict.
 */
export const RENDERED_FILE_NAME = new RegExp(
  `^((${[...ENDPOINT_KINDS, ...CONTROLLER_KINDS].map(k => k.toLowerCase()).join('|')})-[a-z0-9.-]+\\.yaml|${HELM_VALUES_FILE.replace(/\./g, '\\.')})$`,
);
const MAX_FILES = 64;
const MAX_FILE_BYTES = 256 * 1024;

/**
 * The regular files directly in a workspace directory. Links, devices and
 * sub-directories are refused: the render actions write none of them.
 */
export async function readWorkspaceFiles(directory: string, sourcePath: string) {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch {
    throw new InputError(`sourcePath: workspace directory "${sourcePath}" does not exist`);
  }
  if (!entries.length) throw new InputError(`sourcePath: workspace directory "${sourcePath}" has no files`);
  if (entries.length > MAX_FILES) throw new InputError(`sourcePath: more than ${MAX_FILES} files in "${sourcePath}"`);
  const files: Array<{ name: string; content: string }> = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(directory, entry.name);
    const stat = await fs.lstat(file);
    if (!stat.isFile()) {
      throw new InputError(
        `sourcePath: "${sourcePath}/${entry.name}" is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; only the files the render actions write are committed [not-rendered]`,
      );
    }
    if (stat.size > MAX_FILE_BYTES) {
      throw new InputError(`sourcePath: "${sourcePath}/${entry.name}" is larger than ${MAX_FILE_BYTES} bytes [not-rendered]`);
    }
    files.push({ name: entry.name, content: await fs.readFile(file, 'utf8') });
  }
  return files;
}

function refuse(file: string, rule: string, message: string): InputError {
  return new InputError(`files: "${file}" ${message} [${rule}]`);
}

function parseManifest(file: { name: string; content: string }): KubernetesManifest {
  const docs = yaml.parseAllDocuments(file.content);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1 || list[0].errors.length) {
    throw refuse(file.name, 'not-rendered', 'must hold exactly one YAML document, as the render actions write');
  }
  let m: any;
  try {
    // The render actions write no aliases: refusing them also stops alias expansion bombs.
    m = list[0].toJS({ maxAliasCount: 0 });
  } catch {
    throw refuse(file.name, 'not-rendered', 'uses YAML aliases, which the render actions never write');
  }
  if (!m || typeof m !== 'object' || typeof m.kind !== 'string' || typeof m.apiVersion !== 'string' || typeof m.metadata?.name !== 'string') {
    throw refuse(file.name, 'not-rendered', 'is not a Kubernetes manifest with apiVersion, kind and metadata.name');
  }
  return m as KubernetesManifest;
}

/** Verifies the files and returns where they belong; refuses with an InputError naming the file and the rule. */
export function verifyRenderedBundle(
  files: Array<{ name: string; content: string }>,
  guardrails: BundleGuardrails,
): RenderedBundle {
  const manifests = files
    .filter(f => f.name !== HELM_VALUES_FILE)
    .map(f => ({ file: f.name, manifest: parseManifest(f) }));
  const values = files.find(f => f.name === HELM_VALUES_FILE);
  const isController = !!values || manifests.some(m => m.manifest.kind === 'GatewayClass');
  const allowed = isController ? CONTROLLER_KINDS : ENDPOINT_KINDS;
  for (const { file, manifest } of manifests) {
    if (!allowed.includes(manifest.kind)) {
      throw refuse(
        file,
        'foreign-kind',
        `is a ${manifest.kind}; aws-gateway:gitops:commit commits only what ${RENDER_ENDPOINT} (${ENDPOINT_KINDS.join(', ')}) or ${RENDER_CONTROLLER} (${CONTROLLER_KINDS.join(', ')}, Helm values) renders, never both at once`,
      );
    }
  }
  return isController
    ? verifyControllerBundle(files, manifests, values, guardrails)
    : verifyEndpointBundle(files, manifests, guardrails);
}

type Parsed = Array<{ file: string; manifest: KubernetesManifest }>;

function only(manifests: Parsed, kind: string, what: string): { file: string; manifest: KubernetesManifest } {
  const found = manifests.filter(m => m.manifest.kind === kind);
  if (found.length !== 1) {
    throw new InputError(`files: ${what} has exactly one ${kind} (found ${found.length}) [not-rendered]`);
  }
  return found[0];
}

/** Compares what was handed over with what the render produces; the first difference is refused. */
function firstDifference(
  given: Array<{ name: string; content: string }>,
  rendered: Map<string, string>,
  same: (name: string, given: string, rendered: string) => boolean = (_n, a, b) => a === b,
): string | undefined {
  for (const f of given) {
    const expected = rendered.get(f.name);
    if (expected === undefined || !same(f.name, f.content, expected)) return f.name;
  }
  return [...rendered.keys()].find(name => !given.some(f => f.name === name));
}

function matchProfile(
  given: Array<{ name: string; content: string }>,
  render: (profile: ControllerProfile) => Map<string, string>,
  same?: (name: string, given: string, rendered: string) => boolean,
): { profile?: ControllerProfile; difference?: string } {
  let difference: string | undefined;
  for (const profile of Object.values(CONTROLLER_PROFILES)) {
    const d = firstDifference(given, render(profile), same);
    if (!d) return { profile };
    difference ??= d;
  }
  return { difference };
}

function checkIssues(intro: string, issues: Array<ManifestIssue | undefined>) {
  const found = issues.filter((i): i is ManifestIssue => i !== undefined);
  if (found.length) throw manifestIssuesError(intro, found);
}

function verifyEndpointBundle(
  files: Array<{ name: string; content: string }>,
  manifests: Parsed,
  { gatewayGuardrails }: BundleGuardrails,
): RenderedBundle {
  const gateway = only(manifests, 'Gateway', 'an endpoint').manifest;
  const namespace = gateway.metadata.namespace ?? '';
  for (const { file, manifest } of manifests) {
    if (manifest.metadata.namespace !== namespace) {
      throw refuse(file, 'namespace-mismatch', `is in namespace "${manifest.metadata.namespace ?? ''}", not the Gateway's "${namespace}"`);
    }
  }
  const subject = `Gateway ${namespace}/${gateway.metadata.name}`;
  const spec = endpointSpecFrom(gateway, manifests);
  // The guardrails of the render action, from their one home in the node library.
  checkIssues(`${subject} breaks the guardrails`, validateEndpointSpec(spec, { guardrails: gatewayGuardrails }));
  const { profile, difference } = matchProfile(
    files,
    p => new Map(renderEndpointManifests(spec, p).map(r => [r.path, manifestToYaml(r.manifest)])),
  );
  if (!profile) {
    throw refuse(difference!, 'not-rendered', `is not what ${RENDER_ENDPOINT} renders for ${subject} (added, changed or missing)`);
  }
  return { kind: 'endpoint', subject, targetPath: endpointTargetPath(namespace, gateway.metadata.name), profile, files };
}

/** The render input the manifests were made from; anything the render does not produce fails the comparison later. */
function endpointSpecFrom(gateway: KubernetesManifest, manifests: Parsed): EndpointSpec {
  const ofKind = (kinds: string[]) => manifests.map(m => m.manifest).filter(m => kinds.includes(m.kind));
  const lbc = ofKind(['LoadBalancerConfiguration'])[0]?.spec ?? {};
  const tgc = ofKind(['TargetGroupConfiguration'])[0]?.spec?.defaultConfiguration ?? {};
  const hc = tgc.healthCheckConfig;
  const healthCheck: EndpointHealthCheck | undefined = hc && {
    protocol: hc.healthCheckProtocol,
    port: hc.healthCheckPort,
    path: hc.healthCheckPath,
    intervalSeconds: hc.healthCheckInterval,
    timeoutSeconds: hc.healthCheckTimeout,
    healthyThreshold: hc.healthyThresholdCount,
    unhealthyThreshold: hc.unhealthyThresholdCount,
    matcher: hc.matcher?.httpCode,
  };
  if (healthCheck) {
    for (const key of Object.keys(healthCheck) as Array<keyof EndpointHealthCheck>) {
      if (healthCheck[key] === undefined) delete healthCheck[key];
    }
  }
  const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  return {
    name: gateway.metadata.name,
    namespace: gateway.metadata.namespace ?? '',
    gatewayClassName: gateway.spec?.gatewayClassName,
    listeners: asArray(gateway.spec?.listeners).map(l => ({
      name: l?.name,
      protocol: l?.protocol,
      port: l?.port,
      ...(l?.hostname !== undefined ? { hostname: l.hostname } : {}),
    })),
    routes: ofKind(ROUTE_KINDS).map(r => ({
      name: r.metadata.name,
      listener: r.spec?.parentRefs?.[0]?.sectionName,
      backends: asArray(r.spec?.rules?.[0]?.backendRefs).map(b => ({
        service: b?.name,
        port: b?.port,
        ...(b?.weight !== undefined ? { weight: b.weight } : {}),
      })),
    })),
    scheme: lbc.scheme,
    sourceCidrs: asArray(lbc.sourceRanges),
    targetType: tgc.targetType ?? 'ip',
    ...(healthCheck ? { healthCheck } : {}),
    ...(lbc.tags ? { tags: lbc.tags } : {}),
    ...(lbc.loadBalancerName !== undefined ? { loadBalancerName: lbc.loadBalancerName } : {}),
    ...(gateway.metadata.annotations?.[ENTITY_REF_ANNOTATION] !== undefined
      ? { entityRef: gateway.metadata.annotations[ENTITY_REF_ANNOTATION] }
      : {}),
    ...(gateway.metadata.labels?.[KUBERNETES_ID_LABEL] !== undefined
      ? { kubernetesId: gateway.metadata.labels[KUBERNETES_ID_LABEL] }
      : {}),
  };
}

function verifyControllerBundle(
  files: Array<{ name: string; content: string }>,
  manifests: Parsed,
  valuesFile: { name: string; content: string } | undefined,
  { gatewayGuardrails, awsGuardrails }: BundleGuardrails,
): RenderedBundle {
  const what = 'a controller setup';
  if (!valuesFile) throw new InputError(`files: ${what} has the Helm values file ${HELM_VALUES_FILE} [not-rendered]`);
  const gatewayClass = only(manifests, 'GatewayClass', what).manifest;
  const lbc = only(manifests, 'LoadBalancerConfiguration', what).manifest;
  let values: any;
  try {
    values = yaml.parse(valuesFile.content, { maxAliasCount: 0 });
  } catch {
    throw refuse(valuesFile.name, 'not-rendered', 'is not YAML without aliases');
  }
  const namespace = /^# Install into namespace ([a-z0-9-]+);/m.exec(valuesFile.content)?.[1] ?? '';
  const spec: ControllerSetupSpec = {
    clusterName: String(values?.clusterName ?? ''),
    region: String(values?.region ?? ''),
    ...(values?.vpcId !== undefined ? { vpcId: String(values.vpcId) } : {}),
    serviceAccount: { namespace, name: String(values?.serviceAccount?.name ?? '') },
    gatewayClassName: gatewayClass.metadata.name,
    defaults: {
      name: lbc.metadata.name,
      namespace: lbc.metadata.namespace ?? '',
      scheme: lbc.spec?.scheme,
      sourceCidrs: Array.isArray(lbc.spec?.sourceRanges) ? lbc.spec.sourceRanges : [],
      ...(lbc.spec?.tags ? { tags: lbc.spec.tags } : {}),
    },
  };
  const subject = `controller setup of cluster ${spec.clusterName}`;
  // The guardrails of the controller render action: AWS ones, then the shared manifest rules.
  awsGuardrails.cluster('clusterName', spec.clusterName);
  awsGuardrails.region('region', spec.region);
  awsGuardrails.serviceAccount('serviceAccount', namespace, spec.serviceAccount.name);
  checkIssues(`The ${subject} breaks the guardrails`, [
    gatewayClassIssue(spec.gatewayClassName, gatewayGuardrails.allowedGatewayClassNames),
    dnsSubdomainIssue(spec.defaults.name, 'loadBalancerConfigurationName'),
    dnsLabelIssue(spec.defaults.namespace, 'loadBalancerConfigurationNamespace'),
    ...sourceRangeIssues(spec.defaults.sourceCidrs, spec.defaults.scheme, gatewayGuardrails, "the GatewayClass's internet-facing default (every Gateway of the class)"),
    ...loadBalancerTagIssues(spec.defaults.tags),
  ]);
  const { profile, difference } = matchProfile(
    files,
    p =>
      new Map([
        ...renderControllerManifests(spec, p).map(r => [r.path, manifestToYaml(r.manifest)] as [string, string]),
        [HELM_VALUES_FILE, renderControllerHelmValues(spec, p).content],
      ]),
    // The render action puts comment lines (release, account, role) before the values; nothing else may differ.
    (name, given, rendered) =>
      name === HELM_VALUES_FILE
        ? given.endsWith(rendered) && given.slice(0, given.length - rendered.length).split('\n').every(l => l === '' || l.startsWith('#'))
        : given === rendered,
  );
  if (!profile) {
    throw refuse(difference!, 'not-rendered', `is not what ${RENDER_CONTROLLER} renders for the ${subject} (added, changed or missing)`);
  }
  return { kind: 'controller', subject, targetPath: controllerTargetPath(spec.clusterName), profile, files };
}
