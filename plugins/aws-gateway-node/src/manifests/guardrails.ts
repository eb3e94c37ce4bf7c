import { Config } from '@backstage/config';
import {
  ControllerProfileId,
  isControllerProfileId,
} from '@gateway-portal/plugin-aws-gateway-common';

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
export interface GatewayGuardrails {
  /** Clusters (names in kubernetes.clusterLocatorMethods) manifests may be checked against; others are refused. */
  allowedClusters: string[];
  /** Undefined: any namespace. */
  allowedNamespaces?: string[];
  allowedListenerPorts: PortRange[];
  /** Internet-facing endpoints without source CIDRs (open to 0.0.0.0/0) are refused unless true. */
  allowOpenToWorld: boolean;
  gatewayClassName: string;
  defaultControllerProfile: ControllerProfileId;
}

const CONFIG_ROOT = 'awsGateway.provisioning';

function parsePortRange(value: number | string, key: string): PortRange {
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
  const ports = gateways?.getOptional<Array<number | string>>('allowedListenerPorts');
  const profileKey = `${CONFIG_ROOT}.gateways.defaultControllerProfile`;
  const profile = gateways?.getOptionalString('defaultControllerProfile') ?? 'lbc-v3.5';
  if (!isControllerProfileId(profile)) {
    throw new Error(`${profileKey}: unknown controller profile "${profile}"`);
  }
  return {
    allowedClusters: root?.getOptionalStringArray('allowedClusters') ?? [],
    allowedNamespaces: gateways?.getOptionalStringArray('allowedNamespaces'),
    allowedListenerPorts: ports
      ? ports.map(p => parsePortRange(p, portsKey))
      : [{ from: 1, to: 65535 }],
    allowOpenToWorld: gateways?.getOptionalBoolean('allowOpenToWorld') ?? false,
    gatewayClassName: gateways?.getOptionalString('gatewayClassName') ?? 'aws-nlb',
    defaultControllerProfile: profile,
  };
}

/** Human-readable list of allowed port ranges. @public */
export function describePortRanges(ranges: PortRange[]): string {
  return ranges
    .map(r => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`))
    .join(', ');
}
