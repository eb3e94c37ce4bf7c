/**
 * What the sandbox's GitOps sync does with one commit, decided without
 * touching the cluster: which documents are objects it applies, which it
 * skips and why, and which objects it applied before that are gone from the
 * branch (pruned). Like Flux's inventory, only objects this sync applied are
 * ever pruned; anything else in the cluster is not its business.
 *
 * Repository content is not trusted: only regular files ending in .yaml/.yml
 * within size limits are read (links and submodules are not followed), and
 * only the kinds of the two API groups the portal commits are applied.
 */
import YAML from 'yaml';

/** API groups whose objects the sync applies: what the portal's templates commit. */
export const SYNCED_API_GROUPS = [
  'gateway.networking.k8s.io',
  'gateway.k8s.aws',
];

export const SYNC_LIMITS = {
  files: 500,
  fileBytes: 512 * 1024,
  documentsPerFile: 50,
};

/** A file of the branch's tree, as git lists it. */
export interface TreeFile {
  path: string;
  /** git file mode: 100644/100755 regular file, 120000 link, 160000 submodule. */
  mode: string;
  size: number;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** Absent for cluster-scoped objects (and for namespaced ones written without it: the API server's default applies). */
  namespace?: string;
  name: string;
}

export interface DesiredObject {
  ref: ObjectRef;
  manifest: Record<string, unknown>;
  /** file:document index, for messages. */
  source: string;
}

export interface Skipped {
  source: string;
  reason: string;
}

/** Files of the tree worth reading: regular YAML files within the limits. */
export function filesToRead<T extends TreeFile>(
  tree: T[],
): { read: T[]; skipped: Skipped[] } {
  const read: T[] = [];
  const skipped: Skipped[] = [];
  for (const file of tree) {
    if (!/\.ya?ml$/i.test(file.path)) continue;
    if (file.mode !== '100644' && file.mode !== '100755') {
      skipped.push({
        source: file.path,
        reason: `not a regular file (mode ${file.mode})`,
      });
    } else if (file.size > SYNC_LIMITS.fileBytes) {
      skipped.push({
        source: file.path,
        reason: `larger than ${SYNC_LIMITS.fileBytes} bytes`,
      });
    } else if (read.length >= SYNC_LIMITS.files) {
      skipped.push({
        source: file.path,
        reason: `more than ${SYNC_LIMITS.files} YAML files`,
      });
    } else {
      read.push(file);
    }
  }
  return { read, skipped };
}

export function refKey(ref: ObjectRef): string {
  const group = ref.apiVersion.includes('/')
    ? ref.apiVersion.split('/')[0]
    : '';
  return `${group}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function isRecord(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The objects of one file's documents, and what was skipped. */
export function parseManifestFile(
  path: string,
  text: string,
): { objects: DesiredObject[]; skipped: Skipped[] } {
  const objects: DesiredObject[] = [];
  const skipped: Skipped[] = [];
  const docs = YAML.parseAllDocuments(text);
  for (const [i, doc] of docs.entries()) {
    const source = `${path}#${i}`;
    if (i >= SYNC_LIMITS.documentsPerFile) {
      skipped.push({
        source,
        reason: `more than ${SYNC_LIMITS.documentsPerFile} documents in the file`,
      });
      break;
    }
    if (doc.errors.length) {
      skipped.push({
        source,
        reason: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`,
      });
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 10 });
    if (value === null || value === undefined) continue;
    const { apiVersion, kind, metadata } = isRecord(value)
      ? value
      : ({} as Record<string, any>);
    if (
      typeof apiVersion !== 'string' ||
      typeof kind !== 'string' ||
      !isRecord(metadata) ||
      typeof metadata.name !== 'string'
    ) {
      // e.g. the controller's Helm values: applied by a HelmRelease in a real GitOps setup, not by this sync
      skipped.push({
        source,
        reason: 'not a Kubernetes object (apiVersion, kind, metadata.name)',
      });
      continue;
    }
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (!SYNCED_API_GROUPS.includes(group)) {
      skipped.push({
        source,
        reason: `${kind} (${apiVersion}) is not of a synced API group (${SYNCED_API_GROUPS.join(
          ', ',
        )})`,
      });
      continue;
    }
    if (
      metadata.namespace !== undefined &&
      typeof metadata.namespace !== 'string'
    ) {
      skipped.push({ source, reason: 'metadata.namespace is not a string' });
      continue;
    }
    const ref: ObjectRef = {
      apiVersion,
      kind,
      name: metadata.name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    };
    objects.push({ ref, manifest: value, source });
  }
  return { objects, skipped };
}

/** Classes and configurations before the Gateways that use them, Gateways before their routes. */
const KIND_ORDER = [
  'GatewayClass',
  'LoadBalancerConfiguration',
  'TargetGroupConfiguration',
  'Gateway',
];

function applyRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

export interface SyncPlan {
  /** Apply in this order (server-side apply: unchanged objects are no-ops). */
  apply: DesiredObject[];
  /** Delete in this order: objects this sync applied that the commit no longer has (routes first). */
  prune: ObjectRef[];
  /** Two documents for one object: the commit is not applied at all. */
  conflicts: string[];
}

export function planSync(
  desired: DesiredObject[],
  inventory: Iterable<ObjectRef>,
): SyncPlan {
  const byKey = new Map<string, DesiredObject>();
  const conflicts: string[] = [];
  for (const object of desired) {
    const key = refKey(object.ref);
    const first = byKey.get(key);
    if (first)
      conflicts.push(
        `${object.ref.kind} ${object.ref.namespace ?? ''}/${
          object.ref.name
        } in ${first.source} and ${object.source}`,
      );
    else byKey.set(key, object);
  }
  if (conflicts.length) return { apply: [], prune: [], conflicts };
  const apply = [...byKey.values()].sort(
    (a, b) => applyRank(a.ref.kind) - applyRank(b.ref.kind),
  );
  const prune = [...inventory]
    .filter(ref => !byKey.has(refKey(ref)))
    .sort((a, b) => applyRank(b.kind) - applyRank(a.kind));
  return { apply, prune, conflicts };
}
