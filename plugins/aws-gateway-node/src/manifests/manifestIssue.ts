import { ManifestIssue } from '@gateway-portal/plugin-aws-gateway-common';
import { KubernetesManifest, manifestId } from './types';

/** An issue at `path` of a manifest, named `Kind/name: path`. */
export function issue(
  m: KubernetesManifest,
  path: string,
  rule: string,
  message: string,
): ManifestIssue {
  const field = `${manifestId(m)}: ${path}`;
  return { field, rule, message: `${field}: ${message}` };
}

/** A shared rule's issue (whose message starts with the path) placed in a manifest. */
export function inManifest(
  m: KubernetesManifest,
  found: ManifestIssue,
): ManifestIssue {
  return {
    field: `${manifestId(m)}: ${found.field}`,
    rule: found.rule,
    message: `${manifestId(m)}: ${found.message}`,
  };
}
