import { IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { entityTags, unlessNoSuchEntity } from './iamReads';

/** A real IAM client whose ListRoleTags answers from two pages in memory. */
function pagedIamClient(calls: Array<string | undefined>) {
  const iam = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  iam.middlewareStack.add(
    (_next, context) => async (args: any) => {
      if (context.commandName !== 'ListRoleTagsCommand')
        throw new Error(`unexpected ${context.commandName}`);
      calls.push(args.input.Marker);
      const output =
        args.input.Marker === undefined
          ? {
              Tags: [{ Key: 'a', Value: '1' }],
              IsTruncated: true,
              Marker: 'page-2',
            }
          : { Tags: [{ Key: 'b', Value: '2' }], IsTruncated: false };
      return { output: { ...output, $metadata: {} }, response: {} };
    },
    { step: 'initialize' },
  );
  return iam;
}

describe('entityTags', () => {
  it('reads every page of ListRoleTags when GetRole returned no tags', async () => {
    const calls: Array<string | undefined> = [];
    const tags = await entityTags(
      pagedIamClient(calls),
      { role: { RoleName: 'r' } as any },
      {},
    );
    expect(tags).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ]);
    expect(calls).toEqual([undefined, 'page-2']);
  });

  it('uses the tags GetRole returned without a call', async () => {
    const calls: Array<string | undefined> = [];
    const tags = await entityTags(
      pagedIamClient(calls),
      { role: { RoleName: 'r', Tags: [] } as any },
      {},
    );
    expect(tags).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('passes the call options (the abort signal) with every page', async () => {
    const iam = pagedIamClient([]);
    const send = jest.spyOn(iam, 'send');
    const options = { abortSignal: new AbortController().signal };
    await entityTags(iam, { role: { RoleName: 'r' } as any }, options);
    expect(send).toHaveBeenCalledTimes(2);
    for (const call of send.mock.calls) expect(call[1]).toBe(options);
  });
});

describe('unlessNoSuchEntity', () => {
  it('maps NoSuchEntity to undefined and rethrows anything else', async () => {
    const missing = new NoSuchEntityException({
      message: 'gone',
      $metadata: {},
    });
    await expect(
      unlessNoSuchEntity(Promise.reject(missing)),
    ).resolves.toBeUndefined();
    await expect(unlessNoSuchEntity(Promise.resolve(1))).resolves.toBe(1);
    await expect(
      unlessNoSuchEntity(Promise.reject(new Error('other'))),
    ).rejects.toThrow('other');
  });
});
