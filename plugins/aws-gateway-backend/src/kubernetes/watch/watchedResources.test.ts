import { L4_ROUTE_KINDS } from '@gateway-portal/plugin-aws-gateway-common';
import { gatewayEventSubjects } from '../../service/events/gatewayEventSubjects';
import { Gateway, L4Route } from '../types';
import {
  EVENT_SUBJECT_KINDS,
  resourceKey,
  WATCHED_RESOURCES,
} from './watchedResources';

describe('WATCHED_RESOURCES', () => {
  it('watches the events of every kind the card asks about (so a warm read needs no direct events list)', () => {
    const gateway: Gateway = {
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        gatewayClassName: 'nlb',
        listeners: [],
        infrastructure: {
          parametersRef: {
            group: 'gateway.k8s.aws',
            kind: 'LoadBalancerConfiguration',
            name: 'web-lb',
          },
        },
      },
    };
    const routes = L4_ROUTE_KINDS.map(
      (kind): L4Route => ({
        kind,
        apiVersion: 'gateway.networking.k8s.io/v1',
        metadata: { name: kind.toLowerCase(), namespace: 'shop' },
        spec: {
          parentRefs: [{ name: 'web' }],
          rules: [{ backendRefs: [{ name: 'backend', port: 3000 }] }],
        },
      }),
    );
    const subjects = gatewayEventSubjects({
      gateway,
      gatewayClass: {
        metadata: { name: 'nlb' },
        spec: { controllerName: 'gateway.k8s.aws/nlb' },
      },
      routes,
      bindings: [
        {
          metadata: { name: 'tgb', namespace: 'shop' },
          spec: { serviceRef: { name: 'backend', port: 3000 } },
        },
      ],
      targetGroupConfigurations: [
        {
          metadata: { name: 'tgc', namespace: 'shop' },
          spec: { targetReference: { name: 'backend' } },
        },
      ],
    });
    const kinds = [...new Set(subjects.map(s => s.kind))].sort();
    expect(kinds).toEqual([...EVENT_SUBJECT_KINDS].sort());
  });

  it('narrows each events watch to one kind, in both events APIs, and holds every other resource once', () => {
    const events = WATCHED_RESOURCES.filter(r =>
      r.apis.some(a => a.spec.plural === 'events'),
    );
    expect(events.map(r => r.apis.map(a => a.fieldSelector))).toEqual(
      EVENT_SUBJECT_KINDS.map(kind => [
        `regarding.kind=${kind}`,
        `involvedObject.kind=${kind}`,
      ]),
    );
    const others = WATCHED_RESOURCES.filter(r => !events.includes(r)).map(r =>
      resourceKey(r.apis[0].spec),
    );
    expect(new Set(others).size).toBe(others.length);
  });
});
