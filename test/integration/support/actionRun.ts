/**
 * Runs a scaffolder action's handler as the scaffolder would, on the
 * library's mock context (a checkpoint that runs its function, a task id of
 * its own per run so that idempotency tokens differ between runs), and
 * returns what the action output and logged.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject } from '@backstage/types';
import { uniqueName } from '../../peers';

export interface ActionRun {
  outputs: Record<string, unknown>;
  logs: string[];
}

function collectingLogger(logs: string[]): LoggerService {
  const logger: LoggerService = {
    info: message => void logs.push(message),
    warn: message => void logs.push(message),
    error: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  return logger;
}

/**
 * `input` is what a template sends, untyped: the action's own schema checks
 * it. So the context is handed over as the action's own context type.
 */
export async function runAction<TContext>(
  action: { handler(ctx: TContext): Promise<void> },
  input: JsonObject,
  options: { workspacePath: string; isDryRun?: boolean; signal?: AbortSignal },
): Promise<ActionRun> {
  const outputs: Record<string, unknown> = {};
  const logs: string[] = [];
  const ctx = createMockActionContext({
    input,
    workspacePath: options.workspacePath,
    logger: collectingLogger(logs),
    task: { id: uniqueName('task') },
  });
  // The mock takes only some fields from its options; these it does not.
  Object.assign(ctx, {
    isDryRun: options.isDryRun,
    signal: options.signal,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
  });
  await action.handler(ctx as unknown as TContext);
  return { outputs, logs };
}
