/**
 * Rule ids of the refusals when an endpoint the portal wrote is changed or
 * removed — a Gateway of its own (the scaffolder module's plan actions and
 * commit) or a listener on a shared Gateway (`sharedListenerEdit.ts`).
 *
 * @public
 */
export const ENDPOINT_EDIT_RULES = {
  /** A manifest without the portal's mark: someone else's object. */
  notOurs: 'endpoint-not-ours',
  /** Our manifest, edited by hand: rewriting it would lose the edit. */
  handEdited: 'endpoint-hand-edited',
  /** The manifests name another component than the one given. */
  entityMismatch: 'endpoint-entity-mismatch',
} as const;
