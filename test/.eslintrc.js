module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    'jest/expect-expect': [
      'warn',
      {
        // Helpers that assert (each ends in expect calls or throws on a mismatch).
        assertFunctionNames: [
          'expect',
          'refused',
          'refusedByScaffolder',
          'refusedWithZeroWrites',
          '*.waitForEntity',
        ],
      },
    ],
    // A portal that did not start cleanly fails every test of its file: the
    // hooks that start it (and those that check nothing leaked) assert.
    'jest/no-standalone-expect': [
      'error',
      { additionalTestBlockFunctions: ['beforeAll', 'afterEach'] },
    ],
  },
});
