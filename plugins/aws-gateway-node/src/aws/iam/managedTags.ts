import { Tag } from '@aws-sdk/client-iam';
import {
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';

/** Whether IAM tags mark a resource as created by this plugin suite. @public */
export function hasManagedTag(tags: Tag[] | undefined): boolean {
  return (tags ?? []).some(
    t => t.Key === MANAGED_TAG_KEY && t.Value === MANAGED_TAG_VALUE,
  );
}

/** The tags with the managed-by tag added (it cannot be overridden). @public */
export function withManagedTag(
  tags: Record<string, string>,
): Record<string, string> {
  return { ...tags, [MANAGED_TAG_KEY]: MANAGED_TAG_VALUE };
}

/** A tag map as IAM's list of Key/Value pairs, sorted by key. @public */
export function toIamTags(tags: Record<string, string>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map(Key => ({ Key, Value: tags[Key] }));
}

/** Tags in `wanted` that `actual` lacks or has with another value. @public */
export function missingTags(
  actual: Tag[] | undefined,
  wanted: Record<string, string>,
): Record<string, string> {
  const have = new Map((actual ?? []).map(t => [t.Key, t.Value]));
  return Object.fromEntries(
    Object.entries(wanted).filter(([k, v]) => have.get(k) !== v),
  );
}
