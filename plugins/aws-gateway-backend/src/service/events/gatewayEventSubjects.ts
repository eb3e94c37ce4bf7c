/**
 * The objects whose events concern one Gateway: the Gateway, its
 * GatewayClass, its routes, the TargetGroupBindings labelled for it, the
 * LoadBalancerConfigurations it and its class name, and the
 * TargetGroupConfigurations of its backends.
 */
import { GATEWAY_CLASSES } from '@gateway-portal/plugin-aws-gateway-node';
import { EventSubject } from '../../kubernetes/events/eventSelectors';
import { backendsOf } from '../../kubernetes/topology';
import {
  Gateway,
  GatewayClass,
  KubeObject,
  L4Route,
  TargetGroupBinding,
  TargetGroupConfiguration,
} from '../../kubernetes/types';

/** Objects asked about per Gateway at most (one list call each). */
export const MAX_EVENT_SUBJECTS = 25;

const LOAD_BALANCER_CONFIGURATION = 'LoadBalancerConfiguration';

export interface GatewayEventSources {
  gateway: Gateway;
  gatewayClass?: GatewayClass;
  routes: L4Route[];
  bindings: TargetGroupBinding[];
  targetGroupConfigurations: TargetGroupConfiguration[];
}

function subjectOf(kind: string, object: KubeObject): EventSubject {
  return {
    kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
  };
}

export function gatewayEventSubjects(
  sources: GatewayEventSources,
): EventSubject[] {
  const { gateway, gatewayClass, routes } = sources;
  const subjects: EventSubject[] = [subjectOf('Gateway', gateway)];
  if (gatewayClass) {
    // Cluster-scoped: its events are the whole class's (every Gateway of it shows them).
    const { name, uid } = gatewayClass.metadata;
    subjects.push({
      kind: GATEWAY_CLASSES.kind,
      name,
      ...(uid ? { uid } : {}),
    });
  }
  subjects.push(...routes.map(r => subjectOf(r.kind, r)));
  subjects.push(
    ...sources.bindings.map(b => subjectOf('TargetGroupBinding', b)),
  );
  const own = gateway.spec?.infrastructure?.parametersRef;
  if (own?.kind === LOAD_BALANCER_CONFIGURATION) {
    subjects.push({
      kind: LOAD_BALANCER_CONFIGURATION,
      namespace: gateway.metadata.namespace ?? '',
      name: own.name,
    });
  }
  const inherited = gatewayClass?.spec?.parametersRef;
  if (inherited?.kind === LOAD_BALANCER_CONFIGURATION && inherited.namespace) {
    subjects.push({
      kind: LOAD_BALANCER_CONFIGURATION,
      namespace: inherited.namespace,
      name: inherited.name,
    });
  }
  const backends = routes.flatMap(backendsOf).filter(b => b.kind === 'Service');
  subjects.push(
    ...sources.targetGroupConfigurations
      .filter(c =>
        backends.some(
          b =>
            b.namespace === c.metadata.namespace &&
            b.name === c.spec?.targetReference?.name &&
            (c.spec?.targetReference?.kind ?? 'Service') === 'Service',
        ),
      )
      .map(c => subjectOf('TargetGroupConfiguration', c)),
  );
  const unique = new Map(
    subjects.map(s => [`${s.kind}|${s.namespace ?? ''}|${s.name}`, s]),
  );
  return [...unique.values()].slice(0, MAX_EVENT_SUBJECTS);
}
