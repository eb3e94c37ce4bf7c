/**
 * ARNs of IAM roles and customer managed policies, built from their parts.
 */

/**
 * The partition a region belongs to (aws, aws-cn, aws-us-gov); `aws` when no
 * region is given.
 *
 * @public
 */
export function partitionForRegion(region?: string): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** @public */
export interface IamNameRef {
  partition: string;
  accountId: string;
  /** IAM path, starting and ending with `/`. */
  path: string;
  name: string;
}

/** ARN of a customer managed policy. @public */
export function iamPolicyArn(ref: IamNameRef): string {
  return `arn:${ref.partition}:iam::${ref.accountId}:policy${ref.path}${ref.name}`;
}

/** ARN of a role. @public */
export function iamRoleArn(ref: IamNameRef): string {
  return `arn:${ref.partition}:iam::${ref.accountId}:role${ref.path}${ref.name}`;
}
