import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { withInputDefaults } from './inputDefaults';

describe('withInputDefaults', () => {
  const seen: unknown[] = [];
  const action = withInputDefaults(
    createTemplateAction({
      id: 'test:defaults',
      schema: {
        input: {
          branch: z => z.string().default('main'),
          ranges: z => z.array(z.string()).default([]),
          title: z => z.string().optional(),
        },
      },
      async handler(ctx) {
        seen.push(ctx.input);
        ctx.input.ranges.push('mutated');
      },
    }),
  );

  beforeEach(() => {
    seen.length = 0;
  });

  it('fills in the schema defaults of missing inputs and keeps given ones', async () => {
    await action.handler(createMockActionContext({ input: {} as any }));
    await action.handler(
      createMockActionContext({
        input: { branch: 'dev', ranges: ['10.0.0.0/8'], title: 't' },
      }),
    );
    expect(seen).toEqual([
      { branch: 'main', ranges: ['mutated'] },
      { branch: 'dev', ranges: ['10.0.0.0/8', 'mutated'], title: 't' },
    ]);
  });

  it('gives each run its own copy of a default', async () => {
    await action.handler(createMockActionContext({ input: {} as any }));
    await action.handler(createMockActionContext({ input: {} as any }));
    expect(seen).toEqual([
      { branch: 'main', ranges: ['mutated'] },
      { branch: 'main', ranges: ['mutated'] },
    ]);
  });
});
