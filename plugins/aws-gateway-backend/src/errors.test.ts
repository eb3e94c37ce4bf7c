import {
  GATEWAYS,
  KubernetesApiError,
  SERVICES,
} from '@gateway-portal/plugin-aws-gateway-node';
import { toStatusError, watchRefusalError } from './errors';

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

  it("names a cluster's refused lists and watches in one note, with the grant and where it is documented", () => {
    expect(watchRefusalError('prod', [])).toBeUndefined();
    expect(
      watchRefusalError('prod', [{ verb: 'watch', resource: GATEWAYS }]),
    ).toEqual({
      part: 'kubernetes',
      kind: 'permission',
      cluster: 'prod',
      message:
        'Live updates are off for cluster prod: the status reader may not watch gateways.gateway.networking.k8s.io — grant `watch` (docs/install/rbac/status-reader.yaml); until then these are read directly at each request',
    });
    expect(
      watchRefusalError('prod', [
        { verb: 'watch', resource: GATEWAYS },
        { verb: 'list', resource: SERVICES },
        { verb: 'watch', resource: SERVICES },
      ])?.message,
    ).toContain(
      'may not list services and may not watch gateways.gateway.networking.k8s.io, services — grant `list` and `watch`',
    );
  });
});
