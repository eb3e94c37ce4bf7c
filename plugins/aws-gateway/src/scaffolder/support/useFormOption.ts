import { useEffect, useState } from 'react';

/** One read of a field's options: loading, its value, or its error. */
export interface FormOptionState<T> {
  loading: boolean;
  value?: T;
  error?: Error;
}

/**
 * Runs `load` when `key` changes (a cluster or namespace chosen) and keeps
 * only the newest answer: a slow answer for an earlier choice is dropped.
 * Without a key there is nothing to read.
 */
export function useFormOption<T>(
  key: string | undefined,
  load: () => Promise<T>,
): FormOptionState<T> {
  const [state, setState] = useState<FormOptionState<T>>({
    loading: key !== undefined,
  });
  useEffect(() => {
    if (key === undefined) {
      setState({ loading: false });
      return undefined;
    }
    let current = true;
    setState({ loading: true });
    load().then(
      value => current && setState({ loading: false, value }),
      error =>
        current &&
        setState({
          loading: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      current = false;
    };
    // `load` closes over what `key` names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}
