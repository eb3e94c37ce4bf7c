/**
 * What the adopter-install test puts in the fresh app beside the README's
 * steps, shared by the driver (run.ts) and the browser checks (adopter.spec.ts).
 */
import YAML from 'yaml';
import { KUBERNETES_ID_ANNOTATION } from '@gateway-portal/plugin-aws-gateway-common';

/** The create-app release the test starts from (the newest on npm when written). */
export const CREATE_APP_VERSION = '0.9.2';

/** Our npm scope, which the test's loopback registry serves. */
export const ADOPTER_SCOPE = 'gateway-portal';

/** A component of the adopter's with the Kubernetes plugin's annotation, in no configured cluster. */
export const ADOPTER_ENTITY_NAME = 'adopter-service';

export const ADOPTER_ENTITY_YAML = `---\n${YAML.stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: ADOPTER_ENTITY_NAME,
    description:
      'A service of the adopter, registered by the adopter-install test',
    annotations: { [KUBERNETES_ID_ANNOTATION]: ADOPTER_ENTITY_NAME },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'guests' },
})}`;

/**
 * Packages of the adopter's dependency tree whose install scripts compile a
 * native addon that the app never loads: with no internet here each is built
 * from source (minutes on two cores), which an adopter, downloading prebuilt
 * binaries, does not wait for. The test's choice, written into the app's root
 * package.json (Yarn's `dependenciesMeta.<name>.built: false`) before the
 * README's steps. The build tools' binaries (esbuild, swc) are still set up;
 * better-sqlite3, the app's database, is installed from a local prebuild
 * (nativePrebuilds.ts).
 */
export const UNUSED_NATIVE_BUILDS = [
  // @backstage/cli's token store; fails without libsecret anyway (optional).
  'keytar',
  // ssh2 (docker-modem, for the scaffolder's container steps): its optional
  // crypto binding and cpu-features; ssh2 falls back to Node's crypto.
  'ssh2',
  'cpu-features',
  // The API docs' parsers (swagger-ui's apidom) on Node; the browser bundle
  // uses web-tree-sitter (WebAssembly).
  'tree-sitter',
  'tree-sitter-json',
  '@tree-sitter-grammars/tree-sitter-yaml',
];
