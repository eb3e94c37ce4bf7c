import { isError } from '@backstage/errors';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/**
 * The errors an action refuses or answers with on purpose (bad input, not
 * allowed, not found, taken, try again): the message says it all.
 */
const REFUSALS = new Set([
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'AuthenticationError',
  'ServiceUnavailableError',
]);

/**
 * The scaffolder writes a failed step's `error.stack` into the task's log,
 * which every viewer of the task reads: for a refusal that is the message
 * followed by the server's source paths, noise to the developer and the
 * backend's layout to anyone. A refusal's stack is made its message alone;
 * any other error keeps its stack (a bug's trace is what it is reported by).
 */
export function withRefusalsAsMessages<
  TAction extends TemplateAction<any, any, any>,
>(action: TAction): TAction {
  return {
    ...action,
    handler: async ctx => {
      try {
        return await action.handler(ctx);
      } catch (e) {
        if (isError(e) && REFUSALS.has(e.name)) {
          e.stack = `${e.name}: ${e.message}`;
        }
        throw e;
      }
    },
  };
}
