import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { createStatusMetrics } from './metrics';

describe('createStatusMetrics', () => {
  it('records each measurement on its instrument, with bounded attributes', () => {
    const service = metricsServiceMock.mock();
    const metrics = createStatusMetrics(service);
    const instrument = (
      kind: 'createCounter' | 'createHistogram' | 'createGauge',
      name: string,
    ) => {
      const index = service[kind].mock.calls.findIndex(([n]) => n === name);
      expect(index).toBeGreaterThanOrEqual(0);
      return service[kind].mock.results[index].value;
    };

    metrics.requestDuration(12, 'stale');
    metrics.cache('read', 'timeout');
    metrics.awsCall('DescribeListeners', 'throttled');
    metrics.staleServed('deadline');
    metrics.deadlineExpired('lookup');
    metrics.refresh('entity-interval');
    metrics.awsBackoff(5);

    expect(
      instrument('createHistogram', 'aws_gateway.status.request.duration')
        .record,
    ).toHaveBeenCalledWith(12, { outcome: 'stale' });
    expect(
      instrument('createCounter', 'aws_gateway.status.cache').add,
    ).toHaveBeenCalledWith(1, {
      operation: 'read',
      result: 'timeout',
    });
    expect(
      instrument('createCounter', 'aws_gateway.aws.calls').add,
    ).toHaveBeenCalledWith(1, {
      operation: 'DescribeListeners',
      result: 'throttled',
    });
    expect(
      instrument('createCounter', 'aws_gateway.status.stale_served').add,
    ).toHaveBeenCalledWith(1, { reason: 'deadline' });
    expect(
      instrument('createCounter', 'aws_gateway.status.deadline_expired').add,
    ).toHaveBeenCalledWith(1, { stage: 'lookup' });
    expect(
      instrument('createCounter', 'aws_gateway.status.refresh').add,
    ).toHaveBeenCalledWith(1, {
      result: 'entity-interval',
    });
    expect(
      instrument('createGauge', 'aws_gateway.aws.backoff').record,
    ).toHaveBeenCalledWith(5);
  });
});
