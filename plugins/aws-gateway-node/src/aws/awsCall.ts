/**
 * Per-call options of the provisioning functions (ensure/plan of policies,
 * roles and associations). @public
 */
export interface AwsCallOptions {
  /** Aborts the call in flight; checked again after every write, so no further write starts. */
  abortSignal?: AbortSignal;
}

/** Stops before the next write once the caller has given up (a cancelled scaffolder step). @public */
export function stopIfAborted(options: AwsCallOptions): void {
  options.abortSignal?.throwIfAborted();
}
