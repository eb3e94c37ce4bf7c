import { Entity } from '@backstage/catalog-model';

/** A Component in the default namespace with the given annotations. */
export function componentEntity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}
