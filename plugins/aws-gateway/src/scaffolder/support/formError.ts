import { ResponseError } from '@backstage/errors';

/**
 * What a field says when the backend refused or failed: the backend's own
 * sentence (written for developers), never a stack trace.
 */
export function formErrorMessage(error: Error): string {
  if (error instanceof ResponseError) {
    const message = error.body?.error?.message;
    if (error.statusCode === 401) return 'Sign in again to load the choices.';
    if (message) return message;
    return `The portal could not load the choices (HTTP ${error.statusCode}); try again in a moment.`;
  }
  return 'The portal could not load the choices; check your connection and try again.';
}
