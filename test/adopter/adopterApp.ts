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
