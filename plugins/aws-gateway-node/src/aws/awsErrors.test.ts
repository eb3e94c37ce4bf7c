import { classifyAwsError, isAwsError } from './awsErrors';

const named = (name: string) => Object.assign(new Error('x'), { name });

describe('AWS errors', () => {
  it('matches a name with or without the Exception suffix', () => {
    expect(isAwsError(named('NoSuchEntityException'), 'NoSuchEntity')).toBe(
      true,
    );
    expect(isAwsError(named('NoSuchEntity'), 'NoSuchEntityException')).toBe(
      true,
    );
    expect(isAwsError(named('EntityAlreadyExists'), 'NoSuchEntity')).toBe(
      false,
    );
  });

  it('classifies AWS failures', () => {
    expect(classifyAwsError(named('AccessDenied'))).toBe('permission');
    expect(classifyAwsError(named('TimeoutError'))).toBe('unreachable');
    expect(
      classifyAwsError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
    ).toBe('unreachable');
    expect(
      classifyAwsError(new Error('There is no AWS integration that matches 1')),
    ).toBe('not-configured');
    expect(classifyAwsError(named('TargetGroupNotFoundException'))).toBe(
      'not-found',
    );
    expect(classifyAwsError(named('ValidationError'))).toBe('error');
  });
});
