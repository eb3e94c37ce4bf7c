/** Parts of an ARN. @public */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/**
 * Splits an ARN into its parts; returns undefined for anything that is not one.
 *
 * @public
 */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return undefined;
  }
  const [, partition, service, region, accountId, ...rest] = parts;
  return { partition, service, region, accountId, resource: rest.join(':') };
}

const CONSOLE_DOMAIN_BY_PARTITION: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/**
 * AWS console link for an ELBv2 load balancer or target group.
 *
 * @public
 */
export function elbv2ConsoleUrl(
  arn: string,
  kind: 'loadBalancer' | 'targetGroup',
): string {
  const parsed = parseArn(arn);
  const region = parsed?.region ?? 'us-east-1';
  const domain =
    CONSOLE_DOMAIN_BY_PARTITION[parsed?.partition ?? 'aws'] ??
    CONSOLE_DOMAIN_BY_PARTITION.aws;
  const page = kind === 'loadBalancer' ? 'LoadBalancer' : 'TargetGroup';
  const param = kind === 'loadBalancer' ? 'loadBalancerArn' : 'targetGroupArn';
  return `https://${region}.${domain}/ec2/home?region=${region}#${page}:${param}=${encodeURIComponent(
    arn,
  )}`;
}
