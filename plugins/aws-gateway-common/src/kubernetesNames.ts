/**
 * Kubernetes object name and label rules (RFC 1123), in one place for the
 * browser and the servers: the card, the status backend and the scaffolder
 * actions must agree on what a namespace, a name or a label value is.
 */

/** Longest DNS label (RFC 1123): namespaces, most object names. @public */
export const DNS_LABEL_MAX_LENGTH = 63;

/** Longest DNS subdomain (RFC 1123): Gateways, GatewayClasses, service accounts. @public */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

/** Longest Kubernetes label value. @public */
export const LABEL_VALUE_MAX_LENGTH = 63;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Empty is a valid label value; otherwise alphanumeric at both ends.
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A lower-case RFC 1123 label: a-z, 0-9 and "-", starting and ending with a
 * letter or digit, at most 63 characters (a namespace name).
 *
 * @public
 */
export function isDnsLabel(value: string): boolean {
  return value.length <= DNS_LABEL_MAX_LENGTH && DNS_LABEL.test(value);
}

/**
 * A lower-case RFC 1123 subdomain: dot-separated labels, at most 253
 * characters (most Kubernetes object names).
 *
 * @public
 */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= DNS_SUBDOMAIN_MAX_LENGTH && DNS_SUBDOMAIN.test(value);
}

/**
 * A Kubernetes label value: empty, or up to 63 letters, digits, "-", "_" and
 * ".", starting and ending with a letter or digit.
 *
 * @public
 */
export function isLabelValue(value: string): boolean {
  return value.length <= LABEL_VALUE_MAX_LENGTH && LABEL_VALUE.test(value);
}
