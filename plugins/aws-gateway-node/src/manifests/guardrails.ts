import { Config } from '@backstage/config';
import {
  ControllerProfileId,
  isControllerProfileId,
} from '@gateway-portal/plugin-aws-gateway-common';
import { IpFamily } from '../net/cidr';
import { SourceRangeRules } from './rules';

/** An inclusive port range. @public */
export interface PortRange {
  from: number;
  to: number;
}

/**
 * The platform team's limits on rendered endpoints, from
 * `awsGateway.provisioning` (declared in the scaffolder module's config.d.ts).
 * Enforced on the server whatever a template says.
 *
 * @public
 */
export interface GatewayGuardrails extends SourceRangeRules {
  /** Clusters (names in kubernetes.clusterLocatorMethods) manifests may be checked against; others are refused. */
  allowedClusters: string[];
  /** Undefined: any namespace. */
  allowedNamespaces?: string[];
  allowedListenerPorts: PortRange[];
  /** The GatewayClass used when a template does not say. */
  gatewayClassName: string;
  /** GatewayClasses endpoints may use; default: only gatewayClassName. */
  allowedGatewayClassNames: string[];
  defaultControllerProfile: ControllerProfileId;
}

const CONFIG_ROOT = 'awsGateway.provisioning';

/**
 * Shortest source-range prefixes of internet-facing endpoints by default: an
 * IPv4 /8 or IPv6 /32 is already a very large audience.
 *
 * @public
 */
export const DEFAULT_MIN_SOURCE_RANGE_PREFIX_LENGTH: Record<IpFamily, number> =
  { ipv4: 8, ipv6: 32 };

export function parsePortRange(value: number | string, key: string): PortRange {
  const text = String(value).trim();
  const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(text);
  const from = match ? Number(match[1]) : NaN;
  const to = match?.[2] !== undefined ? Number(match[2]) : from;
  if (!match || from < 1 || to > 65535 || from > to) {
    throw new Error(
      `${key}: "${text}" is not a port (1-65535) or a range like "1024-65535"`,
    );
  }
  return { from, to };
}

/** Reads {@link GatewayGuardrails}, failing at startup on malformed values. @public */
export function readGatewayGuardrails(config: Config): GatewayGuardrails {
  const root = config.getOptionalConfig(CONFIG_ROOT);
  const gateways = root?.getOptionalConfig('gateways');
  const portsKey = `${CONFIG_ROOT}.gateways.allowedListenerPorts`;
  const ports = gateways?.getOptional<Array<number | string>>(
    'allowedListenerPorts',
  );
  const profileKey = `${CONFIG_ROOT}.gateways.defaultControllerProfile`;
  const profile =
    gateways?.getOptionalString('defaultControllerProfile') ?? 'lbc-v3.5';
  if (!isControllerProfileId(profile)) {
    throw new Error(`${profileKey}: unknown controller profile "${profile}"`);
  }
  const gatewayClassName =
    gateways?.getOptionalString('gatewayClassName') ?? 'aws-nlb';
  const minPrefix = gateways?.getOptionalConfig('minSourceRangePrefixLength');
  const minSourceRangePrefixLength = {
    ...DEFAULT_MIN_SOURCE_RANGE_PREFIX_LENGTH,
  };
  for (const [family, bits] of [
    ['ipv4', 32],
    ['ipv6', 128],
  ] as const) {
    const value = minPrefix?.getOptionalNumber(family);
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > bits) {
      throw new Error(
        `${CONFIG_ROOT}.gateways.minSourceRangePrefixLength.${family}: ${value} must be an integer from 0 to ${bits}`,
      );
    }
    minSourceRangePrefixLength[family] = value;
  }
  const allowedGatewayClassNames = gateways?.getOptionalStringArray(
    'allowedGatewayClassNames',
  ) ?? [gatewayClassName];
  if (!allowedGatewayClassNames.includes(gatewayClassName)) {
    throw new Error(
      `${CONFIG_ROOT}.gateways.allowedGatewayClassNames must include gatewayClassName "${gatewayClassName}"`,
    );
  }
  return {
    allowedClusters: root?.getOptionalStringArray('allowedClusters') ?? [],
    allowedNamespaces: gateways?.getOptionalStringArray('allowedNamespaces'),
    allowedListenerPorts: ports
      ? ports.map(p => parsePortRange(p, portsKey))
      : [{ from: 1, to: 65535 }],
    allowOpenToWorld: gateways?.getOptionalBoolean('allowOpenToWorld') ?? false,
    minSourceRangePrefixLength,
    gatewayClassName,
    allowedGatewayClassNames,
    defaultControllerProfile: profile,
  };
}

/** Human-readable list of allowed port ranges. @public */
export function describePortRanges(ranges: PortRange[]): string {
  return ranges
    .map(r => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`))
    .join(', ');
}
