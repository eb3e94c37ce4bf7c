import { LoggerService } from '@backstage/backend-plugin-api';
import {
  StatusError,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';
import { logDetail, toStatusError } from '../../errors';

/**
 * Turns failures into StatusErrors for users (generic messages) and writes
 * their details to the log.
 */
export class FailureReport {
  constructor(private readonly logger?: LoggerService) {}

  failure(
    part: StatusPart,
    error: unknown,
    context: { cluster?: string; action?: string } = {},
  ): StatusError {
    const status = toStatusError(part, error, context);
    this.logger?.warn(
      `Gateway status: ${part} failure${
        context.cluster ? ` in cluster ${context.cluster}` : ''
      }${context.action ? ` (${context.action})` : ''}: ${logDetail(error)}`,
    );
    return status;
  }

  /** The Kubernetes read's result, or undefined with its failure added to `errors`. */
  settled<T>(
    promise: Promise<T>,
    errors: StatusError[],
    cluster: string,
  ): Promise<T | undefined> {
    return promise.catch(e => {
      errors.push(this.failure('kubernetes', e, { cluster }));
      return undefined;
    });
  }
}

/** Each error once (several reads of one Gateway may fail the same way). */
export function dedupeErrors(errors: StatusError[]): StatusError[] {
  const seen = new Set<string>();
  return errors.filter(e => {
    const key = `${e.part}|${e.kind}|${e.cluster ?? ''}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
