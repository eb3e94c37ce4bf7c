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

/**
 * Every item of a paginated list, read page by page with the SDK's paginator
 * (`paginateListRoleTags(…, input, options)`: the options, and so the abort
 * signal, go with every page's call).
 *
 * @public
 */
export async function collectPages<Page, Item>(
  pages: AsyncIterable<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}
