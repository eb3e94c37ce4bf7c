/**
 * CRD profiles: which Gateway API / AWS Load Balancer Controller CRDs an API
 * server gets. Files are read from the shared reference directory
 * (${SHARED_DIR:-<repo>/../shared}/reference) and never copied into the repo.
 * Only CustomResourceDefinition documents are applied (plus the Gateway API
 * v1.6 safe-upgrades ValidatingAdmissionPolicy when it applies cleanly);
 * kustomization.yaml and LBC's combined gateway-crds.yaml duplicate are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { log, referenceDir, waitFor } from './cache';

export interface CrdProfile {
  name: string;
  description: string;
  /** Directories under the reference dir. */
  dirs: string[];
  /** Apply the ValidatingAdmissionPolicy(+Binding) documents found in these dirs. */
  admissionPolicies: boolean;
}

export const PROFILES: Record<string, CrdProfile> = {
  'gateway-api-v1.6': {
    name: 'gateway-api-v1.6',
    description:
      'Gateway API v1.6.0 standard + LBC v3.5.0 gateway.k8s.aws and elbv2.k8s.aws CRDs',
    dirs: [
      'gateway-api-v1.6.0-standard',
      'lbc-v3.5.0-gateway-crds',
      'lbc-v3.5.0-elbv2-crds',
    ],
    admissionPolicies: true,
  },
  'gateway-api-v1.3': {
    name: 'gateway-api-v1.3',
    description:
      'Gateway API v1.3.0 experimental + LBC v2.17.1 gateway.k8s.aws and elbv2.k8s.aws CRDs',
    dirs: [
      'gateway-api-v1.3.0-experimental',
      'lbc-v2.17.1-gateway-crds',
      'lbc-v2.17.1-elbv2-crds',
    ],
    admissionPolicies: false,
  },
};

export const DEFAULT_PROFILES = Object.keys(PROFILES);

export function requestedProfiles(): string[] {
  const raw = process.env.PEERS_PROFILES;
  const names = raw
    ? raw
        .split(',')
        .map(s => s.trim())
        .filter(Boolean)
    : DEFAULT_PROFILES;
  for (const n of names) {
    if (!PROFILES[n])
      throw new Error(
        `unknown PEERS_PROFILES entry "${n}"; known: ${DEFAULT_PROFILES.join(
          ', ',
        )}`,
      );
  }
  return names;
}

const SKIP_FILES = new Set(['kustomization.yaml', 'gateway-crds.yaml']);

/**
 * Where a profile's CRD files are read from: the shared reference folder, or,
 * with PEERS_CRD_DIR set, <PEERS_CRD_DIR>/<profile name>/ -- a folder another
 * CRD source prepared (the sandbox's, from the Go module proxy, which needs no
 * ../shared; packages/sandbox/src/crds/).
 */
export function profileCrdDirs(profile: CrdProfile): string[] {
  const prepared = process.env.PEERS_CRD_DIR;
  if (prepared) return [path.join(prepared, profile.name)];
  return profile.dirs.map(d => path.join(referenceDir(), d));
}

export function profileDocuments(profile: CrdProfile): {
  crds: any[];
  policies: any[];
} {
  const crds: any[] = [];
  const policies: any[] = [];
  for (const dir of profileCrdDirs(profile)) {
    if (!fs.existsSync(dir)) {
      throw new Error(
        `CRD directory missing: ${dir} (set SHARED_DIR to the folder holding reference/, or PEERS_CRD_DIR)`,
      );
    }
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.yaml') || SKIP_FILES.has(f)) continue;
      // loadAllYaml deserializes into the client's models: its serializer only
      // knows model property names (x_kubernetes_int_or_string, ...), so raw
      // parsed YAML would silently lose x-kubernetes-* keys.
      for (const obj of k8s.loadAllYaml(
        fs.readFileSync(path.join(dir, f), 'utf8'),
      ) as any[]) {
        if (!obj || typeof obj !== 'object') continue;
        if (obj.kind === 'CustomResourceDefinition') crds.push(obj);
        else if (
          obj.kind === 'ValidatingAdmissionPolicy' ||
          obj.kind === 'ValidatingAdmissionPolicyBinding'
        ) {
          policies.push(obj);
        }
      }
    }
  }
  return { crds, policies };
}

function isEstablished(crd: k8s.V1CustomResourceDefinition): boolean {
  return !!crd.status?.conditions?.some(
    c => c.type === 'Established' && c.status === 'True',
  );
}

/** Creates (or replaces) the profile's CRDs and waits until every one is Established. */
export async function installProfileCrds(
  kubeconfigPath: string,
  profileName: string,
): Promise<string[]> {
  const profile = PROFILES[profileName];
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const { crds, policies } = profileDocuments(profile);
  for (const body of crds) {
    try {
      await ext.createCustomResourceDefinition({ body });
    } catch (e: any) {
      if (e?.code !== 409)
        throw new Error(`creating CRD ${body.metadata?.name}: ${e?.body ?? e}`);
    }
  }
  const names = crds.map(c => c.metadata.name as string);
  await waitFor(
    `CRDs of ${profileName} to be Established`,
    async () => {
      for (const name of names) {
        if (!isEstablished(await ext.readCustomResourceDefinition({ name })))
          return false;
      }
      return true;
    },
    60_000,
    250,
  );
  // Established is not the end: each new resource's storage (watch cache) still
  // initializes, and until then LISTs answer 429 "storage is (re)initializing".
  // Wait until every served version of every CRD can be listed.
  const objs = kc.makeApiClient(k8s.CustomObjectsApi);
  await Promise.all(
    crds.flatMap(c =>
      (c.spec.versions as Array<{ name: string; served: boolean }>)
        .filter(v => v.served)
        .map(v =>
          waitFor(
            `LIST ${c.spec.names.plural}.${c.spec.group}/${v.name} on ${profileName}`,
            async () => {
              await objs.listClusterCustomObject({
                group: c.spec.group,
                version: v.name,
                plural: c.spec.names.plural,
                limit: 1,
              });
              return true;
            },
            60_000,
            200,
          ),
        ),
    ),
  );
  if (profile.admissionPolicies && policies.length) {
    const adm = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
    try {
      for (const body of policies) {
        if (body.kind === 'ValidatingAdmissionPolicy')
          await adm.createValidatingAdmissionPolicy({ body });
        else await adm.createValidatingAdmissionPolicyBinding({ body });
      }
      log(
        `${profileName}: applied ${policies.length} admission policy documents`,
      );
    } catch (e: any) {
      if (e?.code !== 409)
        log(
          `${profileName}: admission policy skipped (did not apply cleanly): ${
            e?.body ?? e
          }`,
        );
    }
  }
  return names;
}
