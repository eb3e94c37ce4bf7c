/**
 * The object whose events are read, and the field selector that finds them.
 * Selectors are built only from values that passed the Kubernetes name rules,
 * so an object name can never add a requirement (`,`) or change one (`=`).
 */
import {
  isDnsLabel,
  isDnsSubdomain,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ResourceSpec } from '@gateway-portal/plugin-aws-gateway-node';

/** An object events may be about. */
export interface EventSubject {
  kind: string;
  /** Absent for a cluster-scoped object (a GatewayClass): see eventsNamespaceOf. */
  namespace?: string;
  name: string;
  /** Narrows to this incarnation of the object when known. */
  uid?: string;
}

/**
 * Where the events about a cluster-scoped object are: both of client-go's
 * recorders (core and events.k8s.io) write them in `default`, their
 * regarding/involved object without a namespace.
 */
export const CLUSTER_SCOPED_EVENTS_NAMESPACE = 'default';

/** The namespace the events about `subject` are written in. */
export function eventsNamespaceOf(subject: EventSubject): string {
  return subject.namespace ?? CLUSTER_SCOPED_EVENTS_NAMESPACE;
}

/** The two events APIs: `events.k8s.io/v1` (preferred) and core `v1`. */
export type EventApi = 'events.k8s.io/v1' | 'v1';

/** The preferred API first. */
export const EVENT_API_ORDER: readonly EventApi[] = ['events.k8s.io/v1', 'v1'];

/** Where each events API is listed and watched. */
export const EVENT_RESOURCES: Readonly<Record<EventApi, ResourceSpec>> = {
  'events.k8s.io/v1': {
    group: 'events.k8s.io',
    versions: ['v1'],
    plural: 'events',
    kind: 'Event',
  },
  v1: { group: '', versions: ['v1'], plural: 'events', kind: 'Event' },
};

/** The events API a resource is, if it is one (a watched change's resource). */
export function eventApiOf(resource: {
  group: string;
  plural: string;
}): EventApi | undefined {
  return EVENT_API_ORDER.find(
    api =>
      EVENT_RESOURCES[api].group === resource.group &&
      EVENT_RESOURCES[api].plural === resource.plural,
  );
}

const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
// Object uids are UUIDs; accept their hex-and-dash alphabet only.
const UID = /^[0-9a-fA-F-]{1,64}$/;

/** Why a subject cannot be asked about, or undefined when it can. */
export function invalidSubjectReason(
  subject: EventSubject,
): string | undefined {
  if (!KIND.test(subject.kind)) return 'kind is not a Kubernetes kind';
  if (subject.namespace !== undefined && !isDnsLabel(subject.namespace))
    return 'namespace is not an RFC 1123 label';
  if (!isDnsSubdomain(subject.name)) return 'name is not an RFC 1123 subdomain';
  if (subject.uid !== undefined && !UID.test(subject.uid))
    return 'uid is not a Kubernetes uid';
  return undefined;
}

/** The field naming the object an event is about, per API. */
const OBJECT_FIELD: Record<EventApi, string> = {
  'events.k8s.io/v1': 'regarding',
  v1: 'involvedObject',
};

/** The field selector for every event about objects of `kind` in `api` (a watch's). */
export function eventKindSelector(api: EventApi, kind: string): string {
  if (!KIND.test(kind)) throw new Error(`event subject: ${kind} is not a kind`);
  return `${OBJECT_FIELD[api]}.kind=${kind}`;
}

/** The field selector for one valid subject's events in `api`. */
export function eventFieldSelector(
  api: EventApi,
  subject: EventSubject,
): string {
  const reason = invalidSubjectReason(subject);
  if (reason) throw new Error(`event subject: ${reason}`);
  const field = OBJECT_FIELD[api];
  const requirements = [
    eventKindSelector(api, subject.kind),
    `${field}.name=${subject.name}`,
  ];
  if (subject.uid) requirements.push(`${field}.uid=${subject.uid}`);
  return requirements.join(',');
}

/** A key for one subject (memoised reads). */
export function subjectKey(subject: EventSubject): string {
  return `${subject.kind}|${subject.namespace ?? ''}|${subject.name}|${
    subject.uid ?? ''
  }`;
}

/**
 * The object an event of `api` is about, as the event claims it (hostile:
 * undefined unless every part passes the name rules; no namespace, or an
 * empty one, is a cluster-scoped object's). For telling which Gateway a
 * watched event concerns.
 */
export function eventRegardingOf(
  api: EventApi,
  event: unknown,
): EventSubject | undefined {
  const regarding = (event as Record<string, unknown> | undefined)?.[
    OBJECT_FIELD[api]
  ] as Record<string, unknown> | undefined;
  if (!regarding || typeof regarding !== 'object') return undefined;
  const { kind, namespace, name, uid } = regarding;
  if (
    typeof kind !== 'string' ||
    (namespace !== undefined && typeof namespace !== 'string') ||
    typeof name !== 'string' ||
    (uid !== undefined && typeof uid !== 'string')
  ) {
    return undefined;
  }
  const subject: EventSubject = {
    kind,
    ...(namespace ? { namespace } : {}),
    name,
    ...(uid ? { uid } : {}),
  };
  return invalidSubjectReason(subject) ? undefined : subject;
}
