import {
  DNS_LABEL_MAX_LENGTH,
  DNS_SUBDOMAIN_MAX_LENGTH,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
  LABEL_VALUE_MAX_LENGTH,
} from './kubernetesNames';

describe('isDnsLabel', () => {
  it.each([
    'a',
    'default',
    'team-a',
    '0apps9',
    'a'.repeat(DNS_LABEL_MAX_LENGTH),
  ])('accepts %s', value => expect(isDnsLabel(value)).toBe(true));
  it.each([
    '',
    '-apps',
    'apps-',
    'Apps',
    'team.a',
    'team_a',
    'a'.repeat(DNS_LABEL_MAX_LENGTH + 1),
  ])('refuses %j', value => expect(isDnsLabel(value)).toBe(false));
});

describe('isDnsSubdomain', () => {
  it.each([
    'aws-nlb',
    'gateway.k8s.aws',
    'a.b-c.d',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  ])('accepts %s', value => expect(isDnsSubdomain(value)).toBe(true));
  it.each([
    '',
    '.a',
    'a.',
    'a..b',
    'a.-b',
    'a-.b',
    'A.b',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
  ])('refuses %j', value => expect(isDnsSubdomain(value)).toBe(false));
  it('has the RFC 1123 length limit', () => {
    expect(DNS_SUBDOMAIN_MAX_LENGTH).toBe(253);
  });
});

describe('isLabelValue', () => {
  it.each([
    '',
    'payments',
    'Payments_v2.1',
    'a-b',
    'x'.repeat(LABEL_VALUE_MAX_LENGTH),
  ])('accepts %j', value => expect(isLabelValue(value)).toBe(true));
  it.each([
    '-a',
    'a-',
    '_a',
    'a b',
    'a/b',
    'x'.repeat(LABEL_VALUE_MAX_LENGTH + 1),
  ])('refuses %j', value => expect(isLabelValue(value)).toBe(false));
});
