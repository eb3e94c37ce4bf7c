import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  paginateListPolicyVersions,
  Policy,
  PolicyVersion,
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
import { iamPolicyArn } from './iamArns';
import { entityTags, unlessNoSuchEntity } from './iamReads';
import { hasManagedTag, toIamTags, withManagedTag } from './managedTags';

/** AWS keeps at most this many versions of a managed policy. @public */
export const MAX_POLICY_VERSIONS = 5;

/** @public */
export interface EnsurePolicyParams {
  partition: string;
  accountId: string;
  /** IAM path, starting and ending with `/`. */
  path: string;
  name: string;
  document: PolicyDocument;
  description?: string;
  /** Tags for a new policy; the managed-by tag is always added. */
  tags: Record<string, string>;
  /** Whether a policy without the managed-by tag may get a new default version. */
  allowUpdatingUnmanaged: boolean;
}

/** What ensurePolicy did. JSON, so it can be checkpointed. @public */
export type EnsurePolicyResult = {
  policyArn: string;
  versionId: string;
  changed: boolean;
  action: 'created' | 'updated' | 'unchanged';
  /** A non-default version deleted to stay within AWS's limit of five. */
  prunedVersionId?: string;
};

function malformed(error: unknown): never {
  throw new InputError(
    `document: IAM rejected the policy document (MalformedPolicyDocument): ${
      (error as Error).message
    }`,
  );
}

async function getPolicy(
  iam: IAMClient,
  arn: string,
  options: AwsCallOptions,
): Promise<Policy | undefined> {
  const read = iam.send(new GetPolicyCommand({ PolicyArn: arn }), options);
  return (await unlessNoSuchEntity(read))?.Policy;
}

function versionOrder(v: PolicyVersion): [number, number] {
  return [
    v.CreateDate?.getTime() ?? 0,
    Number(/^v(\d+)$/.exec(v.VersionId ?? '')?.[1] ?? 0),
  ];
}

/** The oldest non-default version, when the policy is at the version limit. */
async function versionToPrune(
  iam: IAMClient,
  arn: string,
  options: AwsCallOptions,
): Promise<string | undefined> {
  const versions = await collectPages(
    paginateListPolicyVersions({ client: iam }, { PolicyArn: arn }, options),
    page => page.Versions,
  );
  if (versions.length < MAX_POLICY_VERSIONS) return undefined;
  const oldest = versions
    .filter(v => !v.IsDefaultVersion)
    .sort((a, b) => {
      const [ta, na] = versionOrder(a);
      const [tb, nb] = versionOrder(b);
      return ta - tb || na - nb;
    })[0];
  return oldest?.VersionId;
}

/**
 * What ensurePolicy would do, found with reads only. JSON. @public
 */
export type PolicyPlan = {
  policyArn: string;
  action: 'create' | 'update' | 'unchanged';
  /** The default version now (update, unchanged). */
  currentVersionId?: string;
  /** update: a non-default version deleted first, to stay within AWS's limit of five. */
  pruneVersionId?: string;
};

/**
 * Decides, with reads only, what ensurePolicy has to write; refuses (before
 * any write) a differing policy without the managed-by tag unless
 * `allowUpdatingUnmanaged`.
 *
 * @public
 */
export async function planPolicy(
  iam: IAMClient,
  params: EnsurePolicyParams,
  options: AwsCallOptions = {},
): Promise<PolicyPlan> {
  const policyArn = iamPolicyArn(params);
  const policy = await getPolicy(iam, policyArn, options);
  if (!policy) return { policyArn, action: 'create' };
  const currentVersionId = policy.DefaultVersionId;
  const current = await iam.send(
    new GetPolicyVersionCommand({
      PolicyArn: policyArn,
      VersionId: currentVersionId,
    }),
    options,
  );
  const currentDoc = decodeIamPolicyDocument(
    current.PolicyVersion?.Document ?? '{}',
  );
  if (policyDocumentsEqual(currentDoc, params.document)) {
    return { policyArn, action: 'unchanged', currentVersionId };
  }
  const managed = hasManagedTag(await entityTags(iam, { policy }, options));
  if (!managed && !params.allowUpdatingUnmanaged) {
    throw new NotAllowedError(
      `name: policy ${policyArn} exists, differs from the requested document and was not created by this plugin ` +
        `(no managed-by tag); updating unmanaged policies is not allowed ` +
        `(awsGateway.provisioning.iam.allowUpdatingUnmanagedPolicies)`,
    );
  }
  const pruneVersionId = await versionToPrune(iam, policyArn, options);
  return {
    policyArn,
    action: 'update',
    currentVersionId,
    ...(pruneVersionId ? { pruneVersionId } : {}),
  };
}

async function createPolicy(
  iam: IAMClient,
  params: EnsurePolicyParams,
  options: AwsCallOptions,
): Promise<EnsurePolicyResult | undefined> {
  try {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: params.name,
        Path: params.path,
        Description: params.description,
        PolicyDocument: serializePolicyDocument(params.document),
        Tags: toIamTags(withManagedTag(params.tags)),
      }),
      options,
    );
    return {
      policyArn: created.Policy!.Arn!,
      versionId: created.Policy!.DefaultVersionId ?? 'v1',
      changed: true,
      action: 'created',
    };
  } catch (e) {
    if (isAwsError(e, 'MalformedPolicyDocument')) malformed(e);
    // Created concurrently: the caller looks again.
    if (isAwsError(e, 'EntityAlreadyExists')) return undefined;
    throw e;
  }
}

async function updatePolicy(
  iam: IAMClient,
  plan: PolicyPlan,
  params: EnsurePolicyParams,
  options: AwsCallOptions,
): Promise<EnsurePolicyResult> {
  const arn = plan.policyArn;
  const { pruneVersionId } = plan;
  if (pruneVersionId) {
    await iam.send(
      new DeletePolicyVersionCommand({
        PolicyArn: arn,
        VersionId: pruneVersionId,
      }),
      options,
    );
    stopIfAborted(options);
  }
  try {
    const created = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: serializePolicyDocument(params.document),
        SetAsDefault: true,
      }),
      options,
    );
    return {
      policyArn: arn,
      versionId: created.PolicyVersion!.VersionId!,
      changed: true,
      action: 'updated',
      ...(pruneVersionId ? { prunedVersionId: pruneVersionId } : {}),
    };
  } catch (e) {
    if (isAwsError(e, 'MalformedPolicyDocument')) malformed(e);
    throw e;
  }
}

/**
 * Makes sure the customer managed policy `path` + `name` exists with the given
 * document as its default version, planning with reads first (planPolicy):
 *
 * - absent: created, tagged managed-by;
 * - present with a semantically equal default version: nothing is written;
 * - present with another document: a new default version is created (the
 *   oldest non-default version is deleted first when AWS's limit of five is
 *   reached) -- only for a policy carrying the managed-by tag, unless
 *   `allowUpdatingUnmanaged`.
 *
 * @public
 */
export async function ensurePolicy(
  iam: IAMClient,
  params: EnsurePolicyParams,
  options: AwsCallOptions = {},
): Promise<EnsurePolicyResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const plan = await planPolicy(iam, params, options);
    if (plan.action === 'unchanged') {
      return {
        policyArn: plan.policyArn,
        versionId: plan.currentVersionId!,
        changed: false,
        action: 'unchanged',
      };
    }
    if (plan.action === 'update')
      return updatePolicy(iam, plan, params, options);
    const created = await createPolicy(iam, params, options);
    if (created) return created;
  }
  // CreatePolicy says the name exists, GetPolicy does not find it at our path.
  throw new ConflictError(
    `name: a policy named ${params.name} already exists in account ${params.accountId} under another path than ${params.path}`,
  );
}
