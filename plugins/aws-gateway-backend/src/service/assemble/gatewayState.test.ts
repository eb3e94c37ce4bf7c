import { gatewayState } from './gatewayState';
import { Gateway } from '../../kubernetes/types';

const programmed: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'aws-tcp-gateway', namespace: 'default' },
  spec: { gatewayClassName: 'aws-nlb', listeners: [] },
  status: {
    conditions: [
      { type: 'Accepted', status: 'True' },
      { type: 'Programmed', status: 'True' },
    ],
  },
} as unknown as Gateway;

describe('gatewayState', () => {
  it('is programmed while not deleted', () => {
    expect(gatewayState(programmed, undefined, []).state).toBe('programmed');
  });

  it('is removing once deleted, whatever the conditions still say, with the time', () => {
    const deleted = {
      ...programmed,
      metadata: {
        ...programmed.metadata,
        deletionTimestamp: '2026-11-26T22:00:00Z',
        finalizers: ['gateway.k8s.aws/nlb'],
      },
    } as unknown as Gateway;
    expect(gatewayState(deleted, undefined, [])).toEqual({
      state: 'removing',
      stateReason:
        'Being removed since 2026-11-26T22:00:00.000Z: the controller deletes the load balancer, then the Gateway goes away',
    });
  });
});
