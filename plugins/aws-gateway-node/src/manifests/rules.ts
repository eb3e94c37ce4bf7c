import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import { ObservedService } from './types';

/**
 * Checks shared by the endpoint-spec validator (which names input fields) and
 * the manifest validator (which names manifest paths). Each returns the issue
 * for the given field, or undefined.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const HEALTH_CHECK_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP'];

export function dnsLabelIssue(
  value: string,
  field: string,
): ManifestIssue | undefined {
  if (DNS_LABEL.test(value) && value.length <= 63) return undefined;
  return {
    field,
    rule: 'dns-label',
    message: `${field} "${value}" must be a lower-case DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most 63 characters`,
  };
}

export function dnsSubdomainIssue(
  value: string,
  field: string,
): ManifestIssue | undefined {
  if (DNS_SUBDOMAIN.test(value) && value.length <= 253) return undefined;
  return {
    field,
    rule: 'dns-subdomain',
    message: `${field} "${value}" must be a lower-case DNS name (RFC 1123), at most 253 characters`,
  };
}

export function listenerHostnameIssue(
  protocol: string,
  hostname: unknown,
  field: string,
): ManifestIssue | undefined {
  if ((protocol === 'TCP' || protocol === 'UDP') && hostname) {
    return {
      field,
      rule: 'listener-hostname-l4',
      message: `${field}: ${protocol} listeners must not set a hostname (the Gateway API rejects it; only TLS listeners match on SNI host names)`,
    };
  }
  return undefined;
}

export function healthCheckProtocolIssue(
  protocol: unknown,
  field: string,
): ManifestIssue | undefined {
  if (protocol === undefined || HEALTH_CHECK_PROTOCOLS.includes(protocol as string)) {
    return undefined;
  }
  const upper = String(protocol).toUpperCase();
  if (HEALTH_CHECK_PROTOCOLS.includes(upper)) {
    return {
      field,
      rule: 'health-check-protocol-case',
      message: `${field} "${protocol}" must be upper case: "${upper}" (the TargetGroupConfiguration CRD accepts only HTTP, HTTPS, TCP)`,
    };
  }
  return {
    field,
    rule: 'health-check-protocol',
    message: `${field} "${protocol}" is not a health-check protocol; use HTTP, HTTPS or TCP`,
  };
}

/**
 * Instance targets send traffic to a NodePort; a ClusterIP Service has none,
 * and the controller fails with "TargetGroup port is empty".
 */
export function instanceTargetIssue(
  targetType: unknown,
  service: ObservedService | undefined,
  field: string,
): ManifestIssue | undefined {
  if (targetType === 'ip' || !service) return undefined;
  if (service.type !== 'ClusterIP') return undefined;
  return {
    field,
    rule: 'instance-target-clusterip',
    message: `${field}: Service ${service.namespace}/${service.name} is of type ClusterIP, which has no node port for "instance" targets; use targetType "ip"`,
  };
}
