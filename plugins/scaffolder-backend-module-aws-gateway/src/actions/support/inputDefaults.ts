import {
  createTemplateAction,
  TemplateAction,
  TemplateActionOptions,
} from '@backstage/plugin-scaffolder-node';
import { withRefusalsAsMessages } from './refusalStack';

/** The zod the scaffolder hands to each input field (for fields shared by several actions). */
export type ZodImpl = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];
export type StringWithDefault = ReturnType<
  ReturnType<ZodImpl['string']>['default']
>;
export type OptionalString = ReturnType<
  ReturnType<ZodImpl['string']>['optional']
>;

/**
 * Applies the defaults an action's input schema declares before its handler
 * runs. The scaffolder validates inputs against the JSON schema made from the
 * zod fields but does not fill in their `.default(…)`s, so without this every
 * handler would declare each default a second time.
 */
export function withInputDefaults<
  TAction extends TemplateAction<any, any, any>,
>(action: TAction): TAction {
  const properties: Record<string, { default?: unknown }> =
    (action.schema?.input?.properties as any) ?? {};
  const defaults = Object.entries(properties).filter(
    ([, property]) => property.default !== undefined,
  );
  return {
    ...action,
    handler: ctx => {
      const input: Record<string, unknown> = { ...ctx.input };
      for (const [key, property] of defaults) {
        // A copy each run: a handler may not change the next run's default.
        if (input[key] === undefined)
          input[key] = structuredClone(property.default);
      }
      return action.handler({ ...ctx, input });
    },
  };
}

/** The suite's actions: createTemplateAction, with the schema's defaults applied and refusals logged as their messages. */
export const createAwsGatewayAction = ((options: any) =>
  withRefusalsAsMessages(
    withInputDefaults(createTemplateAction(options)),
  )) as unknown as typeof createTemplateAction;
