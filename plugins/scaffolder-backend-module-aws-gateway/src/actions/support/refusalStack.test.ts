import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { withRefusalsAsMessages } from './refusalStack';

function failingWith(error: Error) {
  return withRefusalsAsMessages(
    createTemplateAction({
      id: 'test:refusal',
      async handler() {
        throw error;
      },
    }),
  );
}

async function thrownBy(error: Error): Promise<Error> {
  const action = failingWith(error);
  try {
    await action.handler(createMockActionContext({ input: {} }));
  } catch (e) {
    return e as Error;
  }
  throw new Error('the action did not fail');
}

describe('withRefusalsAsMessages', () => {
  it('makes a refusal’s stack its message alone, keeping the error and every line of its message', async () => {
    const refusal = new InputError(
      'The listener cannot be changed:\n- change.listeners[0].hostname: not allowed [shared-tls-hostname]',
    );
    const thrown = await thrownBy(refusal);
    expect(thrown).toBe(refusal);
    expect(thrown.stack).toBe(
      'InputError: The listener cannot be changed:\n- change.listeners[0].hostname: not allowed [shared-tls-hostname]',
    );
    expect(thrown.stack).not.toMatch(/\n\s+at /);
    expect((await thrownBy(new ConflictError('taken'))).stack).toBe(
      'ConflictError: taken',
    );
  });

  it('keeps the stack of any other error (a bug is reported by its trace)', async () => {
    const bug = new TypeError('x is undefined');
    const stack = bug.stack;
    expect((await thrownBy(bug)).stack).toBe(stack);
    expect(stack).toMatch(/\n\s+at /);
  });
});
