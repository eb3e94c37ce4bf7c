import { batchLoader, memoLoader, RequestMemo } from './requestMemo';

describe('request memo on DataLoader', () => {
  it('memoLoader reads each key once and keeps a failure for the request', async () => {
    const calls: string[] = [];
    const loader = memoLoader(
      async (key: { id: string }) => {
        calls.push(key.id);
        if (key.id === 'bad') throw new Error('refused');
        return `value of ${key.id}`;
      },
      key => key.id,
    );
    const [a, again] = await Promise.all([
      loader.load({ id: 'a' }),
      loader.load({ id: 'a' }),
    ]);
    expect([a, again]).toEqual(['value of a', 'value of a']);
    await expect(loader.load({ id: 'bad' })).rejects.toThrow('refused');
    await expect(loader.load({ id: 'bad' })).rejects.toThrow('refused');
    expect(calls).toEqual(['a', 'bad']);
  });

  it('batchLoader sends the keys of one round together, at most maxBatchSize per call, each once', async () => {
    const batches: string[][] = [];
    const loader = batchLoader(
      async (keys: readonly string[]) => {
        batches.push([...keys]);
        return new Map(keys.filter(k => k !== 'gone').map(k => [k, k.length]));
      },
      key => key,
      20,
    );
    const keys = Array.from({ length: 45 }, (_, i) => `arn-${i}`);
    // Asked for from different async steps of one round (as Gateways do).
    const answers = await Promise.all([
      ...keys.map(async (k, i) => {
        for (let step = 0; step < i % 3; step++) await Promise.resolve();
        return loader.load(k);
      }),
      loader.load('arn-0'),
      loader.load('gone'),
    ]);
    expect(batches.map(b => b.length)).toEqual([20, 20, 6]);
    expect(new Set(batches.flat()).size).toBe(46);
    expect(answers[0]).toBe(5);
    expect(answers[45]).toBe(5);
    expect(answers[46]).toBeUndefined();
    await loader.load('arn-1');
    expect(batches).toHaveLength(3);
  });

  it('batchLoader remembers a failed batch for every key in it', async () => {
    let calls = 0;
    const loader = batchLoader(
      async (_keys: readonly string[]): Promise<Map<string, number>> => {
        calls++;
        throw new Error('throttled');
      },
      key => key,
      20,
    );
    await expect(
      Promise.all([loader.load('a'), loader.load('b')]),
    ).rejects.toThrow('throttled');
    await expect(loader.load('b')).rejects.toThrow('throttled');
    expect(calls).toBe(1);
  });

  it('RequestMemo.once starts the first load of a key only', async () => {
    const memo = new RequestMemo();
    const first = jest.fn(async () => 1);
    const second = jest.fn(async () => 2);
    expect(
      await Promise.all([memo.once('k', first), memo.once('k', second)]),
    ).toEqual([1, 1]);
    expect(await memo.once('other', second)).toBe(2);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
