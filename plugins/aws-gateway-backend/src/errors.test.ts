import { KubernetesApiError } from '@gateway-portal/plugin-aws-gateway-node';
import { toStatusError } from './errors';

describe('errors', () => {
  it('classifies Kubernetes failures', () => {
    expect(
      toStatusError('kubernetes', new KubernetesApiError('forbidden', 403), {
        cluster: 'c',
      }),
    ).toEqual({
      part: 'kubernetes',
      kind: 'permission',
      message: 'forbidden',
      cluster: 'c',
    });
    expect(
      toStatusError(
        'kubernetes',
        new KubernetesApiError('x: ETIMEDOUT', undefined, 'ETIMEDOUT'),
      ).kind,
    ).toBe('unreachable');
    expect(
      toStatusError('kubernetes', new KubernetesApiError('boom', 500)).kind,
    ).toBe('error');
  });
});
