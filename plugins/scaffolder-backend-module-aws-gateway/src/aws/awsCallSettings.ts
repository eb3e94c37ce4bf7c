import { Config } from '@backstage/config';

const CONFIG_KEY = 'awsGateway.provisioning.aws.requestTimeoutSeconds';

/**
 * Deadline of one attempt of the provisioning actions' AWS calls, from
 * `awsGateway.provisioning.aws.requestTimeoutSeconds`; undefined keeps the
 * client factory's default. A stalled endpoint fails a step after the SDK's
 * attempts, each bounded by this.
 */
export function readAwsRequestTimeoutMs(config: Config): number | undefined {
  const value = config.getOptionalNumber(CONFIG_KEY);
  if (value === undefined) return undefined;
  if (!(value > 0 && value <= 300)) {
    throw new Error(
      `Invalid configuration: ${CONFIG_KEY} must be a number of seconds above 0 and at most 300`,
    );
  }
  return value * 1000;
}
