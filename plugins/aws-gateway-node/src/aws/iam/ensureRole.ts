import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  PutRolePermissionsBoundaryCommand,
  Role,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AwsCallOptions, collectPages, stopIfAborted } from '../awsCall';
import { isAwsError } from '../awsErrors';
import { policyDocumentsEqual } from '../policyComparison';
import {
  decodeIamPolicyDocument,
  PolicyDocument,
  serializePolicyDocument,
} from '../policyDocuments';
import {
  hasManagedTag,
  missingTags,
  toIamTags,
  withManagedTag,
} from './managedTags';
import { entityTags, unlessNoSuchEntity } from './iamReads';

/** @public */
export interface EnsureRoleParams {
  /** IAM path, starting and ending with `/`. */
  path: string;
  name: string;
  description?: string;
  /**
   * Trust policy, e.g. `podIdentityTrustPolicy(scope)`: required, so no role is
   * ever created trusting a service for every account and cluster by default.
   */
  trustPolicy: PolicyDocument;
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
  operations: RoleOperation[];
};

async function getRole(
  iam: IAMClient,
  name: string,
  options: AwsCallOptions,
): Promise<Role | undefined> {
  const read = iam.send(new GetRoleCommand({ RoleName: name }), options);
  return (await unlessNoSuchEntity(read))?.Role;
}

async function attachedPolicyArns(
  iam: IAMClient,
  name: string,
  options: AwsCallOptions,
): Promise<Set<string>> {
  const pages = paginateListAttachedRolePolicies(
    { client: iam },
    { RoleName: name },
    options,
  );
  const attached = await collectPages(pages, page => page.AttachedPolicies);
  return new Set(attached.flatMap(p => (p.PolicyArn ? [p.PolicyArn] : [])));
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

/** A write ensureRole makes. @public */
export type RoleOperation =
  | 'CreateRole'
  | 'UpdateAssumeRolePolicy'
  | 'PutRolePermissionsBoundary'
  | 'TagRole'
  | 'AttachRolePolicy';

/** What ensureRole would do, found with reads only. JSON. @public */
export type RolePlan = {
  /** The existing role's ARN; undefined when it is to be created. */
  roleArn?: string;
  /** Whether the existing role carries the managed-by tag. */
  managed?: boolean;
  /** The writes, in order. */
  operations: RoleOperation[];
  /** Tags to add to an existing role. */
  tagsToAdd: Record<string, string>;
  /** Policies to attach. */
  policiesToAttach: string[];
};

/**
 * Decides, with reads only, what ensureRole has to write; refuses (before any
 * write) a role under another path, or one without the managed-by tag unless
 * `allowAdoptingUnmanaged`.
 *
 * @public
 */
export async function planRole(
  iam: IAMClient,
  params: EnsureRoleParams,
  options: AwsCallOptions = {},
): Promise<RolePlan> {
  const wanted = [...new Set(params.policyArns)];
  const role = await getRole(iam, params.name, options);
  if (!role) {
    return {
      operations: [
        'CreateRole',
        ...wanted.map(() => 'AttachRolePolicy' as const),
      ],
      tagsToAdd: {},
      policiesToAttach: wanted,
    };
  }
  if (role.Path !== params.path) {
    throw new ConflictError(
      `roleName: role ${role.RoleName} exists under path ${role.Path}, not the configured ${params.path}; it is left alone`,
    );
  }
  const tags = await entityTags(iam, { role }, options);
  const managed = hasManagedTag(tags);
  if (!managed && !params.allowAdoptingUnmanaged) {
    throw new NotAllowedError(
      `roleName: role ${role.Arn} exists and was not created by this plugin (no managed-by tag); ` +
        `adopting existing roles is not allowed (awsGateway.provisioning.iam.allowAdoptingExistingRoles)`,
    );
  }
  const operations: RoleOperation[] = [];
  const currentTrust = decodeIamPolicyDocument(
    role.AssumeRolePolicyDocument ?? '{}',
  );
  if (!policyDocumentsEqual(currentTrust, params.trustPolicy)) {
    operations.push('UpdateAssumeRolePolicy');
  }
  if (
    params.permissionsBoundaryArn &&
    role.PermissionsBoundary?.PermissionsBoundaryArn !==
      params.permissionsBoundaryArn
  ) {
    operations.push('PutRolePermissionsBoundary');
  }
  // An adopted role gets the configured tags but is not claimed as managed.
  const tagsToAdd = missingTags(
    tags,
    managed ? withManagedTag(params.tags) : params.tags,
  );
  if (Object.keys(tagsToAdd).length) operations.push('TagRole');
  const attached = await attachedPolicyArns(iam, params.name, options);
  const policiesToAttach = wanted.filter(arn => !attached.has(arn));
  operations.push(...policiesToAttach.map(() => 'AttachRolePolicy' as const));
  return {
    roleArn: role.Arn,
    managed,
    operations,
    tagsToAdd,
    policiesToAttach,
  };
}

async function createRole(
  iam: IAMClient,
  params: EnsureRoleParams,
  options: AwsCallOptions,
): Promise<Role | undefined> {
  try {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: params.name,
        Path: params.path,
        Description: params.description,
        AssumeRolePolicyDocument: serializePolicyDocument(params.trustPolicy),
        PermissionsBoundary: params.permissionsBoundaryArn,
        Tags: toIamTags(withManagedTag(params.tags)),
      }),
      options,
    );
    return created.Role;
  } catch (e) {
    if (isAwsError(e, 'EntityAlreadyExists')) return undefined;
    return rethrowIamInputErrors(e);
  }
}

/** Carries out the writes of a plan on an existing role, stopping if aborted. */
async function reconcileRole(
  iam: IAMClient,
  plan: RolePlan,
  params: EnsureRoleParams,
  options: AwsCallOptions,
): Promise<void> {
  const name = params.name;
  try {
    if (plan.operations.includes('UpdateAssumeRolePolicy')) {
      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: name,
          PolicyDocument: serializePolicyDocument(params.trustPolicy),
        }),
        options,
      );
      stopIfAborted(options);
    }
    if (plan.operations.includes('PutRolePermissionsBoundary')) {
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: name,
          PermissionsBoundary: params.permissionsBoundaryArn,
        }),
        options,
      );
      stopIfAborted(options);
    }
  } catch (e) {
    rethrowIamInputErrors(e);
  }
  if (plan.operations.includes('TagRole')) {
    await iam.send(
      new TagRoleCommand({ RoleName: name, Tags: toIamTags(plan.tagsToAdd) }),
      options,
    );
    stopIfAborted(options);
  }
}

async function attachPolicies(
  iam: IAMClient,
  name: string,
  policyArns: string[],
  options: AwsCallOptions,
): Promise<void> {
  for (const arn of policyArns) {
    try {
      await iam.send(
        new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }),
        options,
      );
    } catch (e) {
      if (isAwsError(e, 'NoSuchEntity', 'InvalidInput')) {
        throw new InputError(
          `policyArns: IAM cannot attach ${arn}: ${(e as Error).message}`,
        );
      }
      throw e;
    }
    stopIfAborted(options);
  }
}

/**
 * Makes sure the role exists under `path` with the trust policy,
 * permissions boundary, tags and attached policies
 * asked for, planning with reads first (planRole):
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
  options: AwsCallOptions = {},
): Promise<EnsureRoleResult> {
  let plan = await planRole(iam, params, options);
  let role: Role | undefined;
  if (plan.operations[0] === 'CreateRole') {
    role = await createRole(iam, params, options);
    if (role) {
      stopIfAborted(options);
      await attachPolicies(iam, params.name, plan.policiesToAttach, options);
      return {
        roleArn: role.Arn!,
        roleName: role.RoleName!,
        changed: true,
        operations: plan.operations,
      };
    }
    // Created concurrently: plan again against what is there now.
    plan = await planRole(iam, params, options);
    if (plan.operations[0] === 'CreateRole') {
      throw new ConflictError(
        `roleName: role ${params.name} could not be created or found`,
      );
    }
  }
  await reconcileRole(iam, plan, params, options);
  await attachPolicies(iam, params.name, plan.policiesToAttach, options);
  return {
    roleArn: plan.roleArn!,
    roleName: params.name,
    changed: plan.operations.length > 0,
    operations: plan.operations,
  };
}
