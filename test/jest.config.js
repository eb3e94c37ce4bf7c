/**
 * One channel for every test that needs a real peer (see test/README.md).
 * globalSetup starts moto (+ the Pod Identity emulator in front of it), etcd +
 * one kube-apiserver per CRD profile, and the git server -- unless PEERS_FILE
 * already points at a running set (`./run peers start`) -- and exports
 * PEERS_FILE for the test files, which read it through peers/index.ts.
 */
const path = require('node:path');

// ESM-only packages under node_modules (the Kubernetes client and its
// dependencies, p-retry) are compiled to CommonJS by swc like our own TypeScript.
const esmPackages = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'jsonpath-plus',
  'rfc4648',
  'p-retry',
  'is-network-error',
  // Its proxy imports the Kubernetes client with import(), which jest's
  // CommonJS runtime cannot do: compiled, it becomes a require.
  '@backstage/plugin-kubernetes-backend',
];

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 120_000,
};

module.exports = {
  globalSetup: path.join(__dirname, 'peers', 'jest-global-setup.ts'),
  globalTeardown: path.join(__dirname, 'peers', 'jest-global-teardown.ts'),
  // Peers are shared state (one moto, one API server per profile): run files one at a time.
  maxWorkers: 1,
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'contract',
      testMatch: ['<rootDir>/contract/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/integration/**/*.test.ts'],
    },
  ],
};
