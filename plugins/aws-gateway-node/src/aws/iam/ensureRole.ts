import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  Role,
  Tag,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { isAwsError } from '../awsErrors';
import {
  PolicyDocument,
  decodeIamPolicyDocument,
  podIdentityTrustPolicy,
  policyDocumentsEqual,
  serializePolicyDocument,
} from '../policyDocuments';
import {
  hasManagedTag,
  missingTags,
  toIamTags,
  withManagedTag,
} from './managedTags';

/** @public */
export interface EnsureRoleParams {
  /** IAM path, starting and ending with `/`. */
  path: string;
  name: string;
  description?: string;
  /** Trust policy; the EKS Pod Identity trust policy when absent. */
  trustPolicy?: PolicyDocument;
  permissionsBoundaryArn?: string;
  /** Tags the role must carry; the managed-by tag is added to roles created here. */
  tags: Record<string, string>;
  /** Managed policies that must be attached (others are left alone). */
  policyArns: string[];
  /** Whether an existing role without the managed-by tag may be modified. */
  allowAdoptingUnmanaged: boolean;
}

/** What ensureRole did. JSON, so it can be checkpointed. @public */
export type EnsureRoleResult = {
  roleArn: string;
  roleName: string;
  changed: boolean;
  /** The writes made, in order, e.g. ["CreateRole", "AttachRolePolicy"]. */
  operations: string[];
};

async function getRole(
  iam: IAMClient,
  name: string,
): Promise<Role | undefined> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (e) {
    if (isAwsError(e, 'NoSuchEntity')) return undefined;
    throw e;
  }
}

async function roleTags(iam: IAMClient, role: Role): Promise<Tag[]> {
  if (role.Tags) return role.Tags;
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListRoleTagsCommand({ RoleName: role.RoleName, Marker: marker }),
    );
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tags;
}

async function attachedPolicyArns(
  iam: IAMClient,
  name: string,
): Promise<Set<string>> {
  const arns = new Set<string>();
  let marker: string | undefined;
  do {
    const page = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker }),
    );
    for (const p of page.AttachedPolicies ?? []) {
      if (p.PolicyArn) arns.add(p.PolicyArn);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

function rethrowIamInputErrors(e: unknown): never {
  if (isAwsError(e, 'MalformedPolicyDocument')) {
    throw new InputError(
      `trust policy: IAM rejected the role's trust policy (MalformedPolicyDocument): ${
        (e as Error).message
      }`,
    );
  }
  if (isAwsError(e, 'NoSuchEntity', 'InvalidInput')) {
    throw new InputError(`IAM refused the role: ${(e as Error).message}`);
  }
  throw e;
}

async function createRole(
  iam: IAMClient,
  params: EnsureRoleParams,
  trust: PolicyDocument,
): Promise<Role | undefined> {
  try {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: params.name,
        Path: params.path,
        Description: params.description,
        AssumeRolePolicyDocument: serializePolicyDocument(trust),
        PermissionsBoundary: params.permissionsBoundaryArn,
        Tags: toIamTags(withManagedTag(params.tags)),
      }),
    );
    return created.Role;
  } catch (e) {
    if (isAwsError(e, 'EntityAlreadyExists')) return undefined;
    return rethrowIamInputErrors(e);
  }
}

/** Brings an existing role in line; returns the writes made. */
async function reconcileRole(
  iam: IAMClient,
  role: Role,
  params: EnsureRoleParams,
  trust: PolicyDocument,
): Promise<string[]> {
  const ops: string[] = [];
  const name = role.RoleName!;
  if (role.Path !== params.path) {
    throw new ConflictError(
      `roleName: role ${name} exists under path ${role.Path}, not the configured ${params.path}; it is left alone`,
    );
  }
  const tags = await roleTags(iam, role);
  const managed = hasManagedTag(tags);
  if (!managed && !params.allowAdoptingUnmanaged) {
    throw new NotAllowedError(
      `roleName: role ${role.Arn} exists and was not created by this plugin (no managed-by tag); ` +
        `adopting existing roles is not allowed (awsGateway.provisioning.iam.allowAdoptingExistingRoles)`,
    );
  }
  const currentTrust = decodeIamPolicyDocument(
    role.AssumeRolePolicyDocument ?? '{}',
  );
  try {
    if (!policyDocumentsEqual(currentTrust, trust)) {
      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: name,
          PolicyDocument: serializePolicyDocument(trust),
        }),
      );
      ops.push('UpdateAssumeRolePolicy');
    }
    if (
      params.permissionsBoundaryArn &&
      role.PermissionsBoundary?.PermissionsBoundaryArn !==
        params.permissionsBoundaryArn
    ) {
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: name,
          PermissionsBoundary: params.permissionsBoundaryArn,
        }),
      );
      ops.push('PutRolePermissionsBoundary');
    }
  } catch (e) {
    rethrowIamInputErrors(e);
  }
  // An adopted role gets the configured tags but is not claimed as managed.
  const wanted = missingTags(
    tags,
    managed ? withManagedTag(params.tags) : params.tags,
  );
  if (Object.keys(wanted).length) {
    await iam.send(
      new TagRoleCommand({ RoleName: name, Tags: toIamTags(wanted) }),
    );
    ops.push('TagRole');
  }
  return ops;
}

async function attachPolicies(
  iam: IAMClient,
  name: string,
  policyArns: string[],
  known: Set<string>,
): Promise<string[]> {
  const ops: string[] = [];
  for (const arn of [...new Set(policyArns)]) {
    if (known.has(arn)) continue;
    try {
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }),
      );
    } catch (e) {
      if (isAwsError(e, 'NoSuchEntity', 'InvalidInput')) {
        throw new InputError(
          `policyArns: IAM cannot attach ${arn}: ${(e as Error).message}`,
        );
      }
      throw e;
    }
    ops.push('AttachRolePolicy');
  }
  return ops;
}

/**
 * Makes sure the role exists under `path` with the trust policy (EKS Pod
 * Identity by default), permissions boundary, tags and attached policies
 * asked for:
 *
 * - absent: created with all of them, tagged managed-by;
 * - present and tagged managed-by (or adopting is allowed): a drifted trust
 *   policy is replaced, a missing boundary or tags are set, missing policies
 *   are attached; nothing is detached;
 * - present without the managed-by tag: refused unless `allowAdoptingUnmanaged`.
 *
 * @public
 */
export async function ensureRole(
  iam: IAMClient,
  params: EnsureRoleParams,
): Promise<EnsureRoleResult> {
  const trust = params.trustPolicy ?? podIdentityTrustPolicy();
  let role = await getRole(iam, params.name);
  const ops: string[] = [];
  let attached = new Set<string>();
  if (!role) {
    role = await createRole(iam, params, trust);
    if (role) {
      ops.push('CreateRole');
    } else {
      // Created concurrently: reconcile what is there now.
      role = await getRole(iam, params.name);
      if (!role) {
        throw new ConflictError(
          `roleName: role ${params.name} could not be created or found`,
        );
      }
    }
  }
  if (!ops.includes('CreateRole')) {
    ops.push(...(await reconcileRole(iam, role, params, trust)));
    attached = await attachedPolicyArns(iam, params.name);
  }
  ops.push(
    ...(await attachPolicies(iam, params.name, params.policyArns, attached)),
  );
  return {
    roleArn: role.Arn!,
    roleName: role.RoleName!,
    changed: ops.length > 0,
    operations: ops,
  };
}
