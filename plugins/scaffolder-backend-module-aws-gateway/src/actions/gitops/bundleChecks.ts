import { InputError } from '@backstage/errors';
import {
  CONTROLLER_PROFILES,
  ControllerProfile,
  ManifestIssue,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  GatewayGuardrails,
  KubernetesManifest,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { manifestIssuesError } from '../support/manifestIssues';

/** What the endpoint and controller bundle checks share. */

/** A verified set of files and the one place they live in the repository. */
export interface RenderedBundle {
  kind: 'endpoint' | 'controller';
  /** `Gateway default/aws-tcp-gateway`, `controller setup of cluster prod-eu`. */
  subject: string;
  targetPath: string;
  profile: ControllerProfile;
  files: BundleFile[];
  /** An endpoint's Gateway. */
  gateway?: { namespace: string; name: string };
}

/** What a rendered bundle is checked against before it is committed. @public */
export interface BundleGuardrails {
  gatewayGuardrails: GatewayGuardrails;
  awsGuardrails: AwsGuardrails;
}

export type BundleFile = { name: string; content: string };
export type Parsed = Array<{ file: string; manifest: KubernetesManifest }>;

export const HELM_VALUES_FILE = 'aws-load-balancer-controller-values.yaml';

export function refuse(
  file: string,
  rule: string,
  message: string,
): InputError {
  return new InputError(`files: "${file}" ${message} [${rule}]`);
}

export function only(
  manifests: Parsed,
  kind: string,
  what: string,
): { file: string; manifest: KubernetesManifest } {
  const found = manifests.filter(m => m.manifest.kind === kind);
  if (found.length !== 1) {
    throw new InputError(
      `files: ${what} has exactly one ${kind} (found ${found.length}) [not-rendered]`,
    );
  }
  return found[0];
}

/** Compares what was handed over with what the render produces; the first difference is refused. */
function firstDifference(
  given: BundleFile[],
  rendered: Map<string, string>,
  same: (name: string, given: string, rendered: string) => boolean = (
    _n,
    a,
    b,
  ) => a === b,
): string | undefined {
  for (const f of given) {
    const expected = rendered.get(f.name);
    if (expected === undefined || !same(f.name, f.content, expected))
      return f.name;
  }
  return [...rendered.keys()].find(name => !given.some(f => f.name === name));
}

export function matchProfile(
  given: BundleFile[],
  render: (profile: ControllerProfile) => Map<string, string>,
  same?: (name: string, given: string, rendered: string) => boolean,
): { profile?: ControllerProfile; difference?: string } {
  let difference: string | undefined;
  for (const profile of Object.values(CONTROLLER_PROFILES)) {
    const d = firstDifference(given, render(profile), same);
    if (!d) return { profile };
    difference ??= d;
  }
  return { difference };
}

export function checkIssues(
  intro: string,
  issues: Array<ManifestIssue | undefined>,
) {
  const found = issues.filter((i): i is ManifestIssue => i !== undefined);
  if (found.length) throw manifestIssuesError(intro, found);
}
