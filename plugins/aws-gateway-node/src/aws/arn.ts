import { parse, validate } from '@aws-sdk/util-arn-parser';

/** Parts of an ARN. @public */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

// Every part is checked against what AWS can produce, so that no part taken
// from an ARN can carry a host, a path or a query into a URL or a log line.
const PARTITION = /^aws(-[a-z]+)*$/;
const SERVICE = /^[a-z0-9-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// Empty for global resources; `aws` for AWS managed IAM policies.
const ACCOUNT = /^(\d{12}|aws)?$/;
const RESOURCE = /^[\x21-\x7e]+$/;
const MAX_ARN_LENGTH = 2048;

/** Whether a string is an AWS region name (`eu-west-1`). @public */
export function isAwsRegion(value: string): boolean {
  return REGION.test(value);
}

/** Whether a string is a 12-digit AWS account id. @public */
export function isAwsAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/**
 * Splits an ARN into its parts; returns undefined for anything that is not a
 * well-formed one (unknown partition shape, a region or account that is not
 * one, spaces or control characters in the resource).
 *
 * @public
 */
export function parseArn(arn: string): ParsedArn | undefined {
  if (
    typeof arn !== 'string' ||
    arn.length > MAX_ARN_LENGTH ||
    !validate(arn)
  ) {
    return undefined;
  }
  const parsed = parse(arn);
  const { partition, service, region, accountId, resource } = parsed;
  if (
    !PARTITION.test(partition) ||
    !SERVICE.test(service) ||
    (region !== '' && !REGION.test(region)) ||
    !ACCOUNT.test(accountId) ||
    !RESOURCE.test(resource)
  ) {
    return undefined;
  }
  return { partition, service, region, accountId, resource };
}

/** The partition of a region (`cn-north-1` → `aws-cn`). @public */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Kinds of ELBv2 resource the status backend reads. @public */
export type Elbv2ResourceKind = 'loadbalancer' | 'targetgroup' | 'listener';

const ELBV2_RESOURCE: Record<Elbv2ResourceKind, RegExp> = {
  loadbalancer:
    /^loadbalancer\/(net|app|gwy)\/[A-Za-z0-9-]{1,32}\/[A-Za-z0-9]+$/,
  targetgroup: /^targetgroup\/[A-Za-z0-9-]{1,32}\/[A-Za-z0-9]+$/,
  listener:
    /^listener\/(net|app|gwy)\/[A-Za-z0-9-]{1,32}\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/,
};

/**
 * An ELBv2 ARN of the given kind, with a region and a 12-digit account, or
 * undefined.
 *
 * @public
 */
export function parseElbv2Arn(
  arn: string,
  kind: Elbv2ResourceKind,
): ParsedArn | undefined {
  const parsed = parseArn(arn);
  if (
    !parsed ||
    parsed.service !== 'elasticloadbalancing' ||
    !parsed.region ||
    !isAwsAccountId(parsed.accountId) ||
    parsed.partition !== partitionOfRegion(parsed.region) ||
    !ELBV2_RESOURCE[kind].test(parsed.resource)
  ) {
    return undefined;
  }
  return parsed;
}

const CONSOLE_DOMAIN_BY_PARTITION: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/**
 * AWS console link for an ELBv2 load balancer or target group, built only
 * from the validated parts of the ARN: undefined when the ARN is not an ELBv2
 * ARN of that kind or its partition has no known console.
 *
 * @public
 */
export function elbv2ConsoleUrl(
  arn: string,
  kind: 'loadBalancer' | 'targetGroup',
): string | undefined {
  const parsed = parseElbv2Arn(
    arn,
    kind === 'loadBalancer' ? 'loadbalancer' : 'targetgroup',
  );
  const domain = parsed && CONSOLE_DOMAIN_BY_PARTITION[parsed.partition];
  if (!parsed || !domain) return undefined;
  const page = kind === 'loadBalancer' ? 'LoadBalancer' : 'TargetGroup';
  const param = kind === 'loadBalancer' ? 'loadBalancerArn' : 'targetGroupArn';
  const url = new URL(`https://${parsed.region}.${domain}/ec2/home`);
  url.searchParams.set('region', parsed.region);
  url.hash = `${page}:${param}=${encodeURIComponent(arn)}`;
  return url.toString();
}
