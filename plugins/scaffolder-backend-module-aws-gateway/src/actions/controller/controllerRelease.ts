import {
  ControllerProfile,
  CONTROLLER_PROFILES,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import { CONTROLLER_RELEASE_TAG } from '../../guardrails/refusals';

/** Oldest release with NLB Gateway API support, newest release whose CRDs and routes we know. */
export const SUPPORTED_CONTROLLER_VERSIONS = 'v2.17.0 – v3.5.x';

/**
 * The profile of a controller release: v2.17–v3.1 (Gateway API v1.3,
 * v1alpha2 L4 routes), v3.2–v3.4 (Gateway API v1.5), v3.5 (Gateway API v1.6).
 * Undefined for releases without NLB Gateway API support or newer than we know.
 */
export function profileForControllerVersion(
  version: string,
): ControllerProfile | undefined {
  const m = CONTROLLER_RELEASE_TAG.exec(version);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 2 && minor >= 17) return CONTROLLER_PROFILES['lbc-v2.17'];
  if (major === 3 && minor <= 1) return CONTROLLER_PROFILES['lbc-v2.17'];
  if (major === 3 && minor <= 4) return CONTROLLER_PROFILES['lbc-v3.2'];
  if (major === 3 && minor === 5) return CONTROLLER_PROFILES['lbc-v3.5'];
  return undefined;
}

/** Which Gateway API CRDs the cluster needs for a profile (the NLB's L4 routes included). */
export function gatewayApiCrds(profile: ControllerProfile): string {
  return profile.id === 'lbc-v3.5'
    ? `Gateway API ${profile.gatewayApiVersion} standard channel`
    : `Gateway API ${profile.gatewayApiVersion} experimental channel (L4 routes are not in the standard channel)`;
}

/** Why a controller release has no profile: not a release tag, or a release we do not support. */
export function unsupportedControllerVersionIssue(
  version: string,
): ManifestIssue {
  const field = 'controllerVersion';
  const isReleaseTag = CONTROLLER_RELEASE_TAG.test(version);
  const message = isReleaseTag
    ? `"${version}" is not supported: NLB Gateway API support needs ${SUPPORTED_CONTROLLER_VERSIONS}`
    : `"${version}" must be a release tag like v2.17.1`;
  return {
    field,
    rule: isReleaseTag
      ? 'controller-version-unsupported'
      : 'controller-version',
    message: `${field} ${message}`,
  };
}
