import {
  classifyAwsError,
  sanitizeMessage,
  toStatusError,
  KubernetesApiError,
} from './errors';

describe('errors', () => {
  it('never lets credentials through', () => {
    const msg = sanitizeMessage(
      'failed: Authorization: Bearer eyJhbGciOi.abc token=k8s-aws-v1.aHR0cHM6Ly9zdHM X-Amz-Signature=deadbeef&X-Amz-Security-Token=FQoG key AKIAIOSFODNN7EXAMPLE',
    );
    expect(msg).not.toMatch(
      /eyJhbGciOi|aHR0cHM6Ly9zdHM|deadbeef|FQoG|AKIAIOSFODNN7EXAMPLE/,
    );
  });

  it('classifies AWS and Kubernetes failures', () => {
    expect(
      classifyAwsError(Object.assign(new Error('x'), { name: 'AccessDenied' })),
    ).toBe('permission');
    expect(
      classifyAwsError(Object.assign(new Error('x'), { name: 'TimeoutError' })),
    ).toBe('unreachable');
    expect(
      classifyAwsError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
    ).toBe('unreachable');
    expect(
      classifyAwsError(new Error('There is no AWS integration that matches 1')),
    ).toBe('not-configured');
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
