import { formatLabelSelector, parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  it.each([
    ['app=orders', 'app=orders'],
    ['app == orders', 'app=orders'],
    [' tier!=db , team ', 'tier!=db,team'],
    ['!legacy', '!legacy'],
    [
      'app.kubernetes.io/name in (orders, payments),env notin (dev)',
      'app.kubernetes.io/name in (orders,payments),env notin (dev)',
    ],
    ['app=', 'app='],
  ])('parses %j and writes it back as %j', (selector, written) => {
    expect(formatLabelSelector(parseLabelSelector(selector))).toBe(written);
  });

  it.each([
    ['', /empty/],
    ['app=orders&watch=true', /"orders&watch=true" is not a label value/],
    ['app=a b', /is not a label/],
    ['bad key!=x', /is not a label/],
    ['app in (a,(b))', /unbalanced parentheses/],
    ['app in (a', /unbalanced parentheses/],
    ['app=orders,', /an empty requirement/],
    ['-app=x', /"-app" is not a label key/],
    ['Example.COM/app=x', /"Example.COM\/app" is not a label key/],
    [`app=${'a'.repeat(64)}`, /is not a label value/],
    [Array.from({ length: 21 }, (_, i) => `k${i}`).join(','), /more than 20/],
  ])('refuses %j', (selector, why) => {
    expect(() => parseLabelSelector(selector)).toThrow(why);
  });
});
