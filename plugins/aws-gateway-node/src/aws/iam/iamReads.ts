import {
  IAMClient,
  paginateListPolicyTags,
  paginateListRoleTags,
  Policy,
  Role,
  Tag,
} from '@aws-sdk/client-iam';
import { AwsCallOptions, collectPages } from '../awsCall';
import { isAwsError } from '../awsErrors';

/** The reads ensurePolicy and ensureRole share: an entity that may not exist, and its tags. */

/** The entity the read returns, or undefined when IAM has no such entity. */
export async function unlessNoSuchEntity<T>(
  read: Promise<T>,
): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isAwsError(e, 'NoSuchEntity')) return undefined;
    throw e;
  }
}

/**
 * The tags of a policy or role: those GetPolicy/GetRole returned, else every
 * page of ListPolicyTags/ListRoleTags.
 */
export async function entityTags(
  iam: IAMClient,
  entity: { policy: Policy } | { role: Role },
  options: AwsCallOptions,
): Promise<Tag[]> {
  if ('policy' in entity) {
    const { Tags, Arn } = entity.policy;
    const pages = paginateListPolicyTags(
      { client: iam },
      { PolicyArn: Arn },
      options,
    );
    return Tags ?? collectPages(pages, page => page.Tags);
  }
  const { Tags, RoleName } = entity.role;
  const pages = paginateListRoleTags({ client: iam }, { RoleName }, options);
  return Tags ?? collectPages(pages, page => page.Tags);
}
