import { isThrottlingError } from '@smithy/core/retry';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { StatusMetrics } from '../metrics';
import { AwsBackoff } from './awsBackoff';

/**
 * An SDK middleware, added to every ELBv2 client the status service builds,
 * that counts each attempt by operation and result and tells the backoff
 * about throttling answers (the SDK's own classification: Throttling,
 * TooManyRequestsException, RequestLimitExceeded, HTTP 429 ...). It sits
 * inside the SDK's retry loop, so retried attempts count too.
 */
export function addAwsCallAccounting(
  client: Pick<ElasticLoadBalancingV2Client, 'middlewareStack'>,
  metrics: StatusMetrics,
  backoff: Pick<AwsBackoff, 'throttled' | 'succeeded'>,
): void {
  client.middlewareStack.add(
    (next, context) => async args => {
      const operation = String(context.commandName ?? 'unknown').replace(
        /Command$/,
        '',
      );
      try {
        const result = await next(args);
        metrics.awsCall(operation, 'ok');
        backoff.succeeded();
        return result;
      } catch (e) {
        const throttled = isThrottlingError(e as any);
        metrics.awsCall(operation, throttled ? 'throttled' : 'error');
        if (throttled) backoff.throttled();
        throw e;
      }
    },
    {
      step: 'finalizeRequest',
      priority: 'low',
      name: 'awsGatewayStatusAccounting',
    },
  );
}
