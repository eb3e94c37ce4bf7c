import {
  CreatePodIdentityAssociationCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  paginateListPodIdentityAssociations,
  PodIdentityAssociation,
  UpdatePodIdentityAssociationCommand,
} from '@aws-sdk/client-eks';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { AwsCallOptions, collectPages } from '../awsCall';
import { isAwsError } from '../awsErrors';
import { RetryOptions, retryWithBackoff } from '../retry';

/** @public */
export interface EnsurePodIdentityAssociationParams {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  /** Whether an association using another role may be pointed at `roleArn`. */
  allowReplacingRole: boolean;
  tags?: Record<string, string>;
  /** Idempotency token for the create call (max 64 characters). */
  clientRequestToken?: string;
  /** Backoff while IAM has not yet propagated a new role to EKS. */
  retry?: Partial<Omit<RetryOptions, 'retryable'>>;
}

/** What ensurePodIdentityAssociation did. JSON, so it can be checkpointed. @public */
export type EnsurePodIdentityAssociationResult = {
  associationArn: string;
  associationId: string;
  changed: boolean;
  action: 'created' | 'updated' | 'unchanged';
  /** The role the association used before an update. */
  previousRoleArn?: string;
};

/** Defaults: 6 attempts, 1 s doubling to at most 8 s (about 23 s in total). */
export const DEFAULT_ASSOCIATION_RETRY = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
};

/**
 * Whether EKS refused a create because it cannot see the role yet (IAM is
 * eventually consistent: a role created a moment ago may be unknown).
 *
 * @public
 */
export function isRoleNotYetVisible(error: unknown): boolean {
  return (
    isAwsError(
      error,
      'InvalidParameter',
      'InvalidRequest',
      'NotFound',
      'ResourceNotFound',
    ) &&
    /role/i.test((error as Error).message) &&
    !/cluster/i.test((error as Error).message)
  );
}

/** Which association: cluster, namespace and service account. @public */
export type AssociationSubject = Pick<
  EnsurePodIdentityAssociationParams,
  'clusterName' | 'namespace' | 'serviceAccount'
>;

async function findAssociation(
  eks: EKSClient,
  params: AssociationSubject,
  options: AwsCallOptions,
): Promise<PodIdentityAssociation | undefined> {
  const { clusterName, namespace, serviceAccount } = params;
  let listed;
  try {
    listed = await collectPages(
      paginateListPodIdentityAssociations(
        { client: eks },
        { clusterName, namespace, serviceAccount },
        options,
      ),
      page => page.associations,
    );
  } catch (e) {
    if (isAwsError(e, 'ResourceNotFound')) {
      throw new NotFoundError(
        `cluster: EKS cluster ${clusterName} was not found`,
      );
    }
    throw e;
  }
  const summary = listed.find(
    a => a.namespace === namespace && a.serviceAccount === serviceAccount,
  );
  if (!summary) return undefined;
  const described = await eks.send(
    new DescribePodIdentityAssociationCommand({
      clusterName: params.clusterName,
      associationId: summary.associationId,
    }),
    options,
  );
  return described.association;
}

/** What ensurePodIdentityAssociation would do, found with reads only. JSON. @public */
export type PodIdentityAssociationPlan = {
  action: 'create' | 'update' | 'unchanged';
  /** The existing association (update, unchanged). */
  associationId?: string;
  associationArn?: string;
  /** The role the existing association uses. */
  currentRoleArn?: string;
};

/** Refuses an association that uses another role unless replacing is allowed. */
function judge(
  existing: PodIdentityAssociation,
  params: Pick<
    EnsurePodIdentityAssociationParams,
    'roleArn' | 'allowReplacingRole'
  > &
    AssociationSubject,
): PodIdentityAssociationPlan {
  const plan = {
    associationId: existing.associationId,
    associationArn: existing.associationArn,
    currentRoleArn: existing.roleArn,
  };
  if (existing.roleArn === params.roleArn)
    return { action: 'unchanged', ...plan };
  const subject = `${params.namespace}/${params.serviceAccount} in cluster ${params.clusterName}`;
  if (!params.allowReplacingRole) {
    throw new ConflictError(
      `roleArn: the Pod Identity association ${existing.associationId} for ${subject} uses role ` +
        `${existing.roleArn}, not the requested ${params.roleArn}; replacing the role of an existing ` +
        `association is not allowed (awsGateway.provisioning.podIdentity.allowReplacingAssociationRole)`,
    );
  }
  return { action: 'update', ...plan };
}

/**
 * Decides, with reads only, what ensurePodIdentityAssociation has to write;
 * refuses (before any write) an association with another role unless
 * `allowReplacingRole`, and a cluster EKS does not know.
 *
 * @public
 */
export async function planPodIdentityAssociation(
  eks: EKSClient,
  params: Pick<
    EnsurePodIdentityAssociationParams,
    'roleArn' | 'allowReplacingRole'
  > &
    AssociationSubject,
  options: AwsCallOptions = {},
): Promise<PodIdentityAssociationPlan> {
  const existing = await findAssociation(eks, params, options);
  return existing ? judge(existing, params) : { action: 'create' };
}

async function reconcile(
  eks: EKSClient,
  existing: PodIdentityAssociation,
  params: EnsurePodIdentityAssociationParams,
  options: AwsCallOptions,
): Promise<EnsurePodIdentityAssociationResult> {
  const base = {
    associationArn: existing.associationArn!,
    associationId: existing.associationId!,
  };
  if (judge(existing, params).action === 'unchanged') {
    return { ...base, changed: false, action: 'unchanged' };
  }
  const updated = await eks.send(
    new UpdatePodIdentityAssociationCommand({
      clusterName: params.clusterName,
      associationId: existing.associationId,
      roleArn: params.roleArn,
    }),
    options,
  );
  return {
    associationArn: updated.association?.associationArn ?? base.associationArn,
    associationId: updated.association?.associationId ?? base.associationId,
    changed: true,
    action: 'updated',
    previousRoleArn: existing.roleArn,
  };
}

/**
 * Makes sure the cluster's service account `namespace/serviceAccount` is
 * associated with `roleArn` through EKS Pod Identity:
 *
 * - no association: created, retrying with bounded exponential backoff while
 *   EKS does not see a freshly created role yet;
 * - an association with the same role: nothing is written;
 * - an association with another role: updated only when `allowReplacingRole`,
 *   otherwise a ConflictError naming both roles.
 *
 * @public
 */
export async function ensurePodIdentityAssociation(
  eks: EKSClient,
  params: EnsurePodIdentityAssociationParams,
  options: AwsCallOptions = {},
): Promise<EnsurePodIdentityAssociationResult> {
  const existing = await findAssociation(eks, params, options);
  if (existing) {
    return reconcile(eks, existing, params, options);
  }
  try {
    const created = await retryWithBackoff(
      () =>
        eks.send(
          new CreatePodIdentityAssociationCommand({
            clusterName: params.clusterName,
            namespace: params.namespace,
            serviceAccount: params.serviceAccount,
            roleArn: params.roleArn,
            tags: params.tags,
            clientRequestToken: params.clientRequestToken,
          }),
          options,
        ),
      {
        ...DEFAULT_ASSOCIATION_RETRY,
        ...params.retry,
        retryable: isRoleNotYetVisible,
        signal: params.retry?.signal ?? options.abortSignal,
      },
    );
    return {
      associationArn: created.association!.associationArn!,
      associationId: created.association!.associationId!,
      changed: true,
      action: 'created',
    };
  } catch (e) {
    if (isAwsError(e, 'ResourceInUse')) {
      // Created concurrently by someone else: judge what is there now.
      const now = await findAssociation(eks, params, options);
      if (now) return reconcile(eks, now, params, options);
    }
    if (isRoleNotYetVisible(e)) {
      throw new InputError(
        `roleArn: EKS still does not accept role ${
          params.roleArn
        } after retrying: ${(e as Error).message}`,
      );
    }
    if (isAwsError(e, 'ResourceNotFound')) {
      throw new NotFoundError(
        `cluster: EKS cluster ${params.clusterName} was not found`,
      );
    }
    throw e;
  }
}
