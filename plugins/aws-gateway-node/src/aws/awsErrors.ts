/**
 * Recognising AWS service errors by name. The SDK names modelled errors after
 * their shape (`NoSuchEntityException`) while query-protocol services and
 * emulators may report the bare code (`NoSuchEntity`): both spellings match.
 */

function normalise(name: string): string {
  return name.replace(/Exception$/, '');
}

/** Whether `error` is an AWS error with one of the given names. @public */
export function isAwsError(error: unknown, ...names: string[]): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { Code?: unknown }).Code;
  const candidates = [error.name, typeof code === 'string' ? code : undefined]
    .filter((n): n is string => !!n)
    .map(normalise);
  return names.some(n => candidates.includes(normalise(n)));
}

/** The error's name and message, without request ids or credentials. @public */
export function describeAwsError(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
