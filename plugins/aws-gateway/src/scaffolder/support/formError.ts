import { ResponseError } from '@backstage/errors';
import { TranslationFunction } from '@backstage/frontend-plugin-api';
import { awsGatewayTranslationRef } from '../../translation';

/**
 * What a field says when the backend refused or failed: the backend's own
 * sentence (written for developers), never a stack trace.
 */
export function formErrorMessage(
  error: Error,
  t: TranslationFunction<typeof awsGatewayTranslationRef.T>,
): string {
  if (error instanceof ResponseError) {
    const message = error.body?.error?.message;
    if (error.statusCode === 401) return t('fields.signInAgain');
    if (message) return message;
    return t('fields.httpFailure', { status: String(error.statusCode) });
  }
  return t('fields.networkFailure');
}
