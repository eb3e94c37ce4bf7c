/**
 * What users and the log are told about a failed Kubernetes or AWS call.
 * Classification and redaction are the node library's; the wording is the
 * status card's.
 */
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  StatusError,
  StatusErrorKind,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  classifyAwsError,
  classifyKubernetesError,
  isAbortError,
  KubernetesApiError,
  redactSecrets,
} from '@gateway-portal/plugin-aws-gateway-node';
import { elbv2IamAction } from './aws/Elbv2Reader';
import type { WatchRefusal } from './kubernetes/watch/ResourceWatch';

const AWS_ERROR_NAME = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

/**
 * What users are told about an AWS failure: its kind and the error's code,
 * never AWS's text. A refusal names the IAM actions of the failed call
 * (`action`: ELBv2 operations, `/`-separated), which is what to grant.
 */
function awsMessage(
  error: unknown,
  kind: StatusErrorKind,
  action?: string,
): string {
  const raw = (error as { name?: unknown })?.name;
  const name =
    typeof raw === 'string' && AWS_ERROR_NAME.test(raw) && raw !== 'Error'
      ? raw
      : '';
  const say = (why: string) => (name ? `${name} (${why})` : why);
  switch (kind) {
    case 'permission':
      return say(
        action
          ? `the backend's AWS credentials were refused; its IAM policy must allow ${action
              .split('/')
              .map(elbv2IamAction)
              .join(' and ')}`
          : "the backend's AWS credentials were refused",
      );
    case 'not-found':
      return say('not found');
    case 'not-configured':
      return 'no AWS credentials are configured for this account (aws integration)';
    case 'unreachable':
      return isAbortError(error)
        ? 'AWS did not answer before the deadline'
        : say('AWS could not be reached');
    default:
      return say('AWS answered with an error');
  }
}

/**
 * What users are told about a Kubernetes failure. KubernetesApiError messages
 * are already generic, and so are the node library's errors for the
 * Kubernetes plugin's own answers (permission refused, cluster unknown).
 */
function kubernetesMessage(error: unknown, kind: StatusErrorKind): string {
  if (
    error instanceof KubernetesApiError ||
    error instanceof NotAllowedError ||
    error instanceof NotFoundError ||
    error instanceof ServiceUnavailableError
  ) {
    return error.message;
  }
  if (kind === 'not-configured') return 'the cluster is not configured';
  if (isAbortError(error))
    return 'the API server did not answer before the deadline';
  return kind === 'unreachable'
    ? 'the API server could not be reached'
    : 'the API server call failed';
}

/** The text of a failure for the server log: complete, but free of credentials. */
export function logDetail(error: unknown): string {
  if (error instanceof KubernetesApiError) return error.detail;
  const e = error as { name?: unknown; message?: unknown };
  return redactSecrets(`${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`);
}

/**
 * A StatusError from any thrown value. Its message is generic (what failed
 * and why, in our words): AWS and API server texts may name internal
 * addresses or identities, so they only go to the server log (`logDetail`).
 */
export function toStatusError(
  part: StatusPart,
  error: unknown,
  context: { cluster?: string; action?: string } = {},
): StatusError {
  const kind =
    part === 'aws' ? classifyAwsError(error) : classifyKubernetesError(error);
  const detail =
    part === 'aws'
      ? awsMessage(error, kind, context.action)
      : kubernetesMessage(error, kind);
  return {
    part,
    kind,
    message: context.action ? `${context.action}: ${detail}` : detail,
    ...(context.cluster ? { cluster: context.cluster } : {}),
  };
}

/** Where the status reader's grants are documented (the fix of a refused list or watch). */
const STATUS_READER_ROLE = 'docs/install/rbac/status-reader.yaml';

/**
 * The one note of a cluster whose watch cache the API server refuses lists
 * or watches (RBAC): which verb on which resource, and the grant that fixes
 * it. Those resources are read directly meanwhile, so the answer is whole;
 * only live updates are missing. Undefined when nothing is refused.
 */
export function watchRefusalError(
  cluster: string,
  refusals: readonly WatchRefusal[],
): StatusError | undefined {
  const verbs = (['list', 'watch'] as const).filter(verb =>
    refusals.some(r => r.verb === verb),
  );
  if (!verbs.length) return undefined;
  const refused = verbs.map(
    verb =>
      `may not ${verb} ${refusals
        .filter(r => r.verb === verb)
        .map(({ resource: { plural, group } }) =>
          group ? `${plural}.${group}` : plural,
        )
        .join(', ')}`,
  );
  return {
    part: 'kubernetes',
    kind: 'permission',
    cluster,
    message: `Live updates are off for cluster ${cluster}: the status reader ${refused.join(
      ' and ',
    )} — grant ${verbs
      .map(v => `\`${v}\``)
      .join(
        ' and ',
      )} (${STATUS_READER_ROLE}); until then these are read directly at each request`,
  };
}
