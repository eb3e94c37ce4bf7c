import { isIP } from 'node:net';
import {
  DNS_LABEL_MAX_LENGTH,
  EndpointBackend,
  DNS_SUBDOMAIN_MAX_LENGTH,
  isDnsLabel,
  isDnsSubdomain,
  LoadBalancerScheme,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  familiesOpenToTheInternet,
  parseCidr,
  Cidr,
  IpFamily,
} from '../net/cidr';
import { ObservedService } from './types';

/**
 * Checks shared by the endpoint-spec validator (which names input fields) and
 * the manifest validator (which names manifest paths). Each returns the issue
 * for the given field, or undefined.
 */

export const HEALTH_CHECK_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP'];

/** A backendRef's weight when it names none (Gateway API). */
export const DEFAULT_BACKEND_WEIGHT = 1;

/**
 * ELBv2 forward actions take target group weights from 0 to 999; the
 * controller passes Gateway API weights through unchanged, so a larger one
 * passes the CRD and fails at AWS (FailedDeployModel).
 */
export const MAX_FORWARD_WEIGHT = 999;

/** One backend Service port: the same Service and port twice in a route is one target group. */
export function backendKey(backend: Pick<EndpointBackend, 'service' | 'port'>) {
  return `${backend.service}:${backend.port}`;
}

export function dnsLabelIssue(
  value: string,
  field: string,
): ManifestIssue | undefined {
  if (isDnsLabel(value)) return undefined;
  return {
    field,
    rule: 'dns-label',
    message: `${field} "${value}" must be a lower-case DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most ${DNS_LABEL_MAX_LENGTH} characters`,
  };
}

export function dnsSubdomainIssue(
  value: string,
  field: string,
): ManifestIssue | undefined {
  if (isDnsSubdomain(value)) return undefined;
  return {
    field,
    rule: 'dns-subdomain',
    message: `${field} "${value}" must be a lower-case DNS name (RFC 1123), at most ${DNS_SUBDOMAIN_MAX_LENGTH} characters`,
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
      message: `${field}: ${protocol} listeners must not set a hostname (the Gateway API rejects it; only TLS listeners carry one)`,
    };
  }
  return undefined;
}

/**
 * A TLS listener's host name (required: the Gateway API wants host names on
 * TLS listeners and TLSRoutes), as the Gateway API's `Hostname` type defines
 * it: a lower-case RFC 1123 DNS name of at most 253 characters, labels of at
 * most 63, optionally a wildcard `*.` as its whole first label and nowhere
 * else; no IP address. The NLB does not route by it.
 *
 * @public
 */
export function tlsListenerHostnameIssue(
  hostname: string | undefined,
  field: string,
): ManifestIssue | undefined {
  if (!hostname) {
    return {
      field,
      rule: 'tls-hostname-required',
      message: `${field} is required for TLS listeners: the Gateway API requires host names on TLS listeners and TLSRoutes (the NLB itself does not route by them)`,
    };
  }
  const base = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
  const valid =
    hostname.length <= DNS_SUBDOMAIN_MAX_LENGTH &&
    isDnsSubdomain(base) &&
    base.split('.').every(label => label.length <= DNS_LABEL_MAX_LENGTH) &&
    isIP(base) === 0;
  if (valid) return undefined;
  return {
    field,
    rule: 'tls-hostname',
    message: `${field} "${hostname}" must be a lower-case DNS name (RFC 1123: a-z, 0-9, "-" and ".", labels of at most ${DNS_LABEL_MAX_LENGTH} characters, at most ${DNS_SUBDOMAIN_MAX_LENGTH} in all), optionally starting with the wildcard label "*." (a "*" nowhere else), and not an IP address, as the Gateway API defines host names`,
  };
}

/**
 * Why a TLS Passthrough listener cannot share its port with another
 * listener of `otherProtocol`, or undefined when neither is TLS. The NLB has
 * one listener per port and does no SNI routing.
 */
export function tlsPortSharingConflict(
  protocol: string,
  otherProtocol: string,
): { rule: string; reason: string } | undefined {
  if (protocol !== 'TLS' && otherProtocol !== 'TLS') return undefined;
  if (protocol === 'UDP' || otherProtocol === 'UDP') {
    return {
      rule: 'tls-udp-same-port',
      reason:
        'the NLB would merge them into one TCP_UDP listener, which cannot pass TLS through to a TCP target group',
    };
  }
  return {
    rule: 'listener-port-unique',
    reason:
      'the NLB serves a TLS Passthrough listener as one TCP listener per port and does no SNI routing, so host names cannot tell two listeners on one port apart',
  };
}

export function healthCheckProtocolIssue(
  protocol: unknown,
  field: string,
): ManifestIssue | undefined {
  if (
    protocol === undefined ||
    HEALTH_CHECK_PROTOCOLS.includes(protocol as string)
  ) {
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

/**
 * A TLS Passthrough listener becomes a TCP listener on the NLB; the
 * controller gives its Services a TLS target group unless their
 * TargetGroupConfiguration says `protocol: TCP`, and AWS refuses a TCP
 * listener forwarding to a TLS target group (IncompatibleProtocols).
 */
export function tlsPassthroughTargetGroupProtocolIssue(
  protocol: unknown,
  service: string,
  field: string,
): ManifestIssue | undefined {
  if (protocol === 'TCP') return undefined;
  return {
    field,
    rule: 'tls-passthrough-target-group-protocol',
    message: `${field}: Service ${service} is behind a TLS Passthrough listener, which the NLB serves as a TCP listener; its target group protocol is ${
      protocol === undefined
        ? "TLS (the controller's default)"
        : `"${String(protocol)}"`
    }, and AWS rejects a TCP listener forwarding to it (IncompatibleProtocols): set protocol: TCP in the Service's TargetGroupConfiguration`,
  };
}

/** The platform's rules for source ranges, from `awsGateway.provisioning.gateways`. @public */
export interface SourceRangeRules {
  /** Internet-facing endpoints open to a whole address family are refused unless true. */
  allowOpenToWorld: boolean;
  /** Shortest prefix an internet-facing source range may have, per family. */
  minSourceRangePrefixLength: Record<IpFamily, number>;
}

const GATEWAYS_CONFIG = 'awsGateway.provisioning.gateways';

function cidrIssue(text: string, field: string): ManifestIssue | undefined {
  const result = parseCidr(text);
  if ('cidr' in result) return undefined;
  const { problem } = result;
  const shown = `${field} "${text}"`;
  switch (problem.kind) {
    case 'syntax':
      return {
        field,
        rule: 'cidr',
        message: `${shown} is not an IPv4 or IPv6 CIDR block like 203.0.113.0/24`,
      };
    case 'host-bits':
      return {
        field,
        rule: 'cidr-host-bits',
        message: `${shown} has host bits set; the block is "${problem.canonical}"`,
      };
    case 'ipv4-mapped':
      return {
        field,
        rule: 'cidr-ipv4-mapped',
        message: `${shown} is an IPv4-mapped IPv6 block; write the IPv4 block "${problem.canonical}" instead`,
      };
    default:
      return {
        field,
        rule: 'cidr-not-canonical',
        message: problem.canonical
          ? `${shown} is not in canonical form; write it as "${problem.canonical}"`
          : `${shown} is not in canonical form: IPv4 octets are decimal numbers without leading zeros`,
      };
  }
}

/**
 * Source CIDRs of an NLB: each one parsed strictly, and for internet-facing
 * load balancers the union of all of them must not cover a whole address
 * family (an empty list means the controller's default 0.0.0.0/0 and ::/0),
 * and no block may be wider than the configured minimum prefix length.
 * `subject` names what is exposed, e.g. "an internet-facing endpoint".
 */
export function sourceRangeIssues(
  texts: string[],
  scheme: LoadBalancerScheme,
  rules: SourceRangeRules,
  subject: string,
  field = 'sourceCidrs',
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const cidrs: Cidr[] = [];
  texts.forEach((text, i) => {
    const issue = cidrIssue(text, `${field}[${i}]`);
    if (issue) issues.push(issue);
    const parsed = parseCidr(text);
    if ('cidr' in parsed) cidrs.push(parsed.cidr);
  });
  if (issues.length || scheme !== 'internet-facing' || rules.allowOpenToWorld)
    return issues;
  const open = familiesOpenToTheInternet(cidrs);
  if (texts.length === 0 || open.length) {
    const why =
      texts.length === 0
        ? 'without them the controller opens it to 0.0.0.0/0 and ::/0'
        : `together they cover every ${open
            .map(f => (f === 'ipv4' ? 'IPv4' : 'IPv6'))
            .join(' and every ')} address on the internet`;
    return [
      {
        field,
        rule: 'open-to-world',
        message: `${field}: ${subject} needs explicit source CIDRs that do not cover the whole internet (${why}), which configuration does not allow (${GATEWAYS_CONFIG}.allowOpenToWorld)`,
      },
    ];
  }
  cidrs.forEach(cidr => {
    const min = rules.minSourceRangePrefixLength[cidr.family];
    if (cidr.prefixLength < min) {
      const i = texts.indexOf(cidr.text);
      issues.push({
        field: `${field}[${i}]`,
        rule: 'cidr-prefix-too-short',
        message: `${field}[${i}] "${
          cidr.text
        }" is wider than configuration allows for ${subject}: ${
          cidr.family === 'ipv4' ? 'IPv4' : 'IPv6'
        } blocks need a prefix of at least /${min} (${GATEWAYS_CONFIG}.minSourceRangePrefixLength.${
          cidr.family
        })`,
      });
    }
  });
  return issues;
}

/** The GatewayClass of a Gateway: a DNS name that configuration allows. */
export function gatewayClassIssue(
  name: string,
  allowed: string[],
  field = 'gatewayClassName',
): ManifestIssue | undefined {
  const syntax = dnsSubdomainIssue(name, field);
  if (syntax) return syntax;
  if (allowed.includes(name)) return undefined;
  return {
    field,
    rule: 'gateway-class-not-allowed',
    message: `${field} "${name}" is not allowed (configuration allows ${
      allowed.join(', ') || 'none'
    }: ${GATEWAYS_CONFIG}.allowedGatewayClassNames)`,
  };
}

/** ELBv2 allows 50 tags per resource; the controller adds its own. */
const MAX_USER_TAGS = 40;
const RESERVED_TAG_PREFIXES = [
  'aws:',
  'elbv2.k8s.aws/',
  'gateway.k8s.aws',
  'ingress.k8s.aws/',
  'service.k8s.aws/',
];

/** AWS tags a user asks for on load balancers and target groups. */
export function loadBalancerTagIssues(
  tags: Record<string, string> | undefined,
  field = 'tags',
): ManifestIssue[] {
  const entries = Object.entries(tags ?? {});
  const issues: ManifestIssue[] = [];
  if (entries.length > MAX_USER_TAGS) {
    issues.push({
      field,
      rule: 'tag-count',
      message: `${field}: at most ${MAX_USER_TAGS} tags (got ${entries.length}); the controller adds its own and ELBv2 allows 50`,
    });
  }
  for (const [key, value] of entries) {
    const tagField = `${field}.${key}`;
    if (key.length < 1 || key.length > 128 || value.length > 256) {
      issues.push({
        field: tagField,
        rule: 'tag-length',
        message: `${tagField}: keys are 1-128 characters, values at most 256`,
      });
    }
    if (RESERVED_TAG_PREFIXES.some(p => key.toLowerCase().startsWith(p))) {
      issues.push({
        field: tagField,
        rule: 'tag-reserved',
        message: `${tagField}: keys starting with ${RESERVED_TAG_PREFIXES.join(
          ', ',
        )} are reserved for AWS and the controller`,
      });
    }
  }
  return issues;
}
