import { InputError, NotAllowedError } from '@backstage/errors';
import { parseArn } from '@gateway-portal/plugin-aws-gateway-node';

/**
 * The formats and refusal messages every AWS guardrail shares: an
 * InputError for a malformed value, a NotAllowedError for a well-formed one
 * that configuration does not allow, both naming the field and the rule.
 */

export const CONFIG_ROOT = 'awsGateway.provisioning';

export const ACCOUNT_ID = /^\d{12}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const IAM_NAME = /^[\w+=,.@-]+$/;
// IAM: "/" or "/" + printable ASCII without spaces + "/", at most 512 characters.
export const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
export const IAM_PATH_MAX = 512;
/** A controller release tag, e.g. v2.17.1 (major, minor, patch captured). */
export const CONTROLLER_RELEASE_TAG = /^v(\d+)\.(\d+)\.(\d+)$/;

/** The value, quoted and shortened, for a message. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

export function invalid(
  field: string,
  value: unknown,
  rule: string,
): InputError {
  return new InputError(`${field}: ${show(value)} ${rule}`);
}

export function notAllowed(
  field: string,
  value: unknown,
  setting: string,
): NotAllowedError {
  return new NotAllowedError(
    `${field}: ${show(
      value,
    )} is not allowed; it must be listed in ${CONFIG_ROOT}.${setting}`,
  );
}

/** Splits a role or policy ARN's resource into path and name. */
function iamResource(resource: string, type: 'role' | 'policy') {
  if (!resource.startsWith(`${type}/`)) return undefined;
  const rest = resource.slice(type.length);
  const slash = rest.lastIndexOf('/');
  const path = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  if (!IAM_PATH.test(path) || !IAM_NAME.test(name)) return undefined;
  return { path, name };
}

/** A global IAM role or policy ARN, parsed; anything else is refused naming the field. */
export function parseIamArn(
  field: string,
  value: string,
  type: 'role' | 'policy',
) {
  const arn = parseArn(value);
  const resource =
    arn && arn.service === 'iam' ? iamResource(arn.resource, type) : undefined;
  if (!arn || !resource || arn.region !== '') {
    throw invalid(
      field,
      value,
      `must be an IAM ${type} ARN (arn:aws:iam::<account>:${type}/<path><name>)`,
    );
  }
  return { accountId: arn.accountId, ...resource };
}
