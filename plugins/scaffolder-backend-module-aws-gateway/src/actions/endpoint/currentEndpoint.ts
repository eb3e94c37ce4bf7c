import path from 'node:path';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ControllerProfile,
  endpointTargetPath,
  EndpointSpec,
  isDnsLabel,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  normaliseEntityRef,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  AWS_GATEWAY_ACTION_ID,
  ENDPOINT_EDIT_RULES,
  GitOpsFile,
  GitOpsRepository,
  RepositoryUrl,
} from '@gateway-portal/plugin-aws-gateway-node';
import { Parsed, refuse } from '../gitops/bundleChecks';
import {
  matchEndpointRender,
  readEndpointManifests,
} from '../gitops/endpointBundle';
import {
  ENDPOINT_KINDS,
  parseManifest,
  RENDERED_FILE_NAME,
} from '../gitops/renderedBundle';
import {
  InitiatorContext,
  InitiatorOwnership,
} from '../support/initiatorOwnership';

/**
 * An endpoint as it is in the GitOps repository, before it is changed or
 * removed. The repository's content is hostile: only what the portal wrote,
 * unchanged since, may be edited or deleted.
 */

/** The endpoint's files as read, checked to be ours and unedited. */
export interface CurrentEndpoint {
  /** The render input they were made from. */
  spec: EndpointSpec;
  /** The controller profile they were rendered for. */
  profile: ControllerProfile;
  /** `gateways/<namespace>/<name>`. */
  targetPath: string;
  /** The rendered files, with their repository paths and content as read. */
  files: GitOpsFile[];
  /** Files in the folder the portal does not write (a kustomization.yaml): left alone. */
  otherFiles: string[];
  /** The branch read (the branch, or the base it would start from) and its head. */
  branch: string;
  commitSha: string;
}

/** Reads `gateways/<namespace>/<name>`; undefined when it holds none of the portal's files. */
export async function readCurrentEndpoint(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  repoUrl: RepositoryUrl,
  options: {
    namespace: string;
    name: string;
    branch: string;
    baseBranch?: string;
    userToken?: string;
    signal?: AbortSignal;
  },
): Promise<CurrentEndpoint | undefined> {
  assertFolderNames({ namespace: options.namespace, name: options.name });
  const targetPath = endpointTargetPath(options.namespace, options.name);
  const read = await repository.readFiles(repoUrl, {
    branch: options.branch,
    baseBranch: options.baseBranch,
    directory: targetPath,
    userToken: options.userToken,
    signal: options.signal,
  });
  const rendered = read.files.filter(f =>
    RENDERED_FILE_NAME.test(path.posix.basename(f.path)),
  );
  if (!rendered.length) return undefined;
  try {
    const { spec, profile } = verifyOurs(
      rendered.map(f => ({
        name: path.posix.basename(f.path),
        content: f.content,
      })),
      options,
    );
    return {
      spec,
      profile,
      targetPath,
      files: rendered,
      otherFiles: read.files
        .filter(f => !rendered.includes(f))
        .map(f => f.path),
      branch: read.branch,
      commitSha: read.commitSha,
    };
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(`${targetPath} on ${read.branch}: ${error.message}`);
    }
    throw error;
  }
}

/** Each value names a folder of the repository layout: a DNS label, else an InputError naming the field. */
export function assertFolderNames(values: Record<string, string>): void {
  for (const [field, value] of Object.entries(values)) {
    if (!isDnsLabel(value)) {
      throw new InputError(
        `${field}: "${value}" is not a Kubernetes name (a DNS label: lower-case letters, digits and "-", at most 63)`,
      );
    }
  }
}

/** Refuses, naming the file, a manifest of a kind `writer` never writes or without the portal's mark. */
export function refuseForeignManifests(
  manifests: Parsed,
  kinds: readonly string[],
  writer: string,
): void {
  for (const { file, manifest } of manifests) {
    if (!kinds.includes(manifest.kind)) {
      throw refuse(
        file,
        ENDPOINT_EDIT_RULES.notOurs,
        `is a ${manifest.kind}, not one of the objects ${writer} writes; the portal edits and removes only those`,
      );
    }
    if (manifest.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
      throw refuse(
        file,
        ENDPOINT_EDIT_RULES.notOurs,
        `has no ${MANAGED_BY_LABEL}: ${MANAGED_BY_VALUE} label: the portal did not write it, and edits or removes only what it wrote`,
      );
    }
  }
}

function verifyOurs(
  files: Array<{ name: string; content: string }>,
  where: { namespace: string; name: string },
) {
  const manifests = files.map(f => ({
    file: f.name,
    manifest: parseManifest(f),
  }));
  refuseForeignManifests(
    manifests,
    ENDPOINT_KINDS,
    AWS_GATEWAY_ACTION_ID.renderEndpoint,
  );
  const { spec, subject } = readEndpointManifests(manifests);
  if (spec.name !== where.name || spec.namespace !== where.namespace) {
    throw refuse(
      manifests.find(m => m.manifest.kind === 'Gateway')!.file,
      ENDPOINT_EDIT_RULES.notOurs,
      `is ${subject}, not the Gateway ${where.namespace}/${where.name} its folder belongs to`,
    );
  }
  const { profile, difference } = matchEndpointRender(files, spec);
  if (!profile) {
    throw refuse(
      difference!,
      ENDPOINT_EDIT_RULES.handEdited,
      `is not what ${AWS_GATEWAY_ACTION_ID.renderEndpoint} wrote for ${subject} (edited by hand, added or missing): changing or removing the endpoint would lose that edit, so nothing is done — restore the rendered file, or make the change in the repository by hand`,
    );
  }
  return { spec, profile };
}

/**
 * The confused-deputy rule for an existing endpoint: it must belong to the
 * component the template names (when one is named), and the initiator must
 * be allowed to publish for that component (InitiatorOwnership). Read-only.
 */
export async function checkEndpointOwnership(
  ctx: InitiatorContext,
  ownership: InitiatorOwnership,
  current: CurrentEndpoint,
  claim: { entityRef?: string; cluster?: string },
): Promise<void> {
  const { spec } = current;
  await checkOwnedObjects(
    ctx,
    ownership,
    {
      subject: `Gateway ${spec.namespace}/${spec.name}`,
      entityRef: spec.entityRef,
      kubernetesId: spec.kubernetesId,
      namespaces: [spec.namespace],
    },
    claim,
  );
}

/** The objects of an endpoint as the portal marked them: the component and the namespaces they went to. */
export interface OwnedObjects {
  /** `Gateway default/aws-tcp-gateway`, `route team-a/db on shared Gateway …`. */
  subject: string;
  entityRef?: string;
  kubernetesId?: string;
  namespaces: string[];
}

/** The same rule for any objects the portal wrote: the named component's, and the initiator's to publish for in each namespace. */
export async function checkOwnedObjects(
  ctx: InitiatorContext,
  ownership: InitiatorOwnership,
  owned: OwnedObjects,
  claim: { entityRef?: string; cluster?: string },
): Promise<void> {
  if (claim.entityRef !== undefined) {
    const same = (ref?: string) =>
      ref
        ? normaliseEntityRef(ref, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          })
        : undefined;
    let given: string | undefined;
    try {
      given = same(claim.entityRef);
    } catch {
      throw new InputError(
        `entityRef: "${claim.entityRef}" is not an entity ref`,
      );
    }
    if (given !== same(owned.entityRef)) {
      throw new NotAllowedError(
        `${owned.subject} belongs to ${
          owned.entityRef ?? 'no component'
        }, not to ${claim.entityRef} [${ENDPOINT_EDIT_RULES.entityMismatch}]`,
      );
    }
  }
  for (const namespace of new Set(owned.namespaces)) {
    await ownership.check(ctx, {
      entityRef: owned.entityRef,
      kubernetesId: owned.kubernetesId,
      namespace,
      cluster: claim.cluster,
    });
  }
}
