import { ConfigReader } from '@backstage/config';
import { readAwsRequestTimeoutMs } from './awsCallSettings';

const withTimeout = (requestTimeoutSeconds: number) =>
  new ConfigReader({
    awsGateway: { provisioning: { aws: { requestTimeoutSeconds } } },
  });

describe('readAwsRequestTimeoutMs', () => {
  it('keeps the default when the key is absent', () => {
    expect(readAwsRequestTimeoutMs(new ConfigReader({}))).toBeUndefined();
  });

  it('reads seconds as milliseconds', () => {
    expect(readAwsRequestTimeoutMs(withTimeout(4))).toBe(4_000);
    expect(readAwsRequestTimeoutMs(withTimeout(0.5))).toBe(500);
  });

  it.each([0, -1, 301])('refuses %p, naming the key and the rule', value => {
    expect(() => readAwsRequestTimeoutMs(withTimeout(value))).toThrow(
      'awsGateway.provisioning.aws.requestTimeoutSeconds must be a number of seconds above 0 and at most 300',
    );
  });
});
