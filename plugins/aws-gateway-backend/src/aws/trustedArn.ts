import {
  AwsTarget,
  Elbv2ResourceKind,
  parseElbv2Arn,
} from '@gateway-portal/plugin-aws-gateway-node';

/**
 * An ELBv2 ARN checked against the AWS location configured for the cluster
 * it came from (awsGateway.status.clusters): the right service and kind, the
 * configured region (and so its partition) and, when configured, account. The
 * only kind of ARN an AWS call or a console link is made with; calls go to
 * `target`, the configured location, never to one read from the ARN.
 */
export interface TrustedArn {
  arn: string;
  kind: Elbv2ResourceKind;
  target: AwsTarget;
}

/** The ARN, if it passes; undefined for anything else (including no configured location). */
export function trustArn(
  value: unknown,
  kind: Elbv2ResourceKind,
  target: AwsTarget | undefined,
): TrustedArn | undefined {
  if (!target || typeof value !== 'string') return undefined;
  const parsed = parseElbv2Arn(value, kind);
  if (
    !parsed ||
    parsed.region !== target.region ||
    (target.accountId !== undefined && parsed.accountId !== target.accountId)
  ) {
    return undefined;
  }
  return { arn: value, kind, target };
}

/** Key of an AWS location, for batching and concurrency limits. */
export function targetKey(target: AwsTarget): string {
  return `${target.accountId ?? ''}|${target.region}`;
}
