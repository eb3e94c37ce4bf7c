import { Entity } from '@backstage/catalog-model';
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import {
  AWS_GATEWAY_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@gateway-portal/plugin-aws-gateway-common';

function annotationExample(entity: Entity): string {
  const name = entity.metadata.name;
  return `apiVersion: backstage.io/v1alpha1
kind: ${entity.kind}
metadata:
  name: ${name}
  annotations:
    # Either: Gateways labelled backstage.io/kubernetes-id=${name}
    ${KUBERNETES_ID_ANNOTATION}: ${name}
    # Or: name the Gateways, [cluster/]namespace/name, comma separated
    ${AWS_GATEWAY_ANNOTATION}: my-cluster/${name}/${name}-gateway`;
}

/** @public */
export interface MissingAnnotationStateProps {
  entity: Entity;
}

/**
 * The entity names no Gateways: shows the two annotations that link them.
 *
 * @public
 */
export function MissingAnnotationState(props: MissingAnnotationStateProps) {
  const { entity } = props;
  return (
    <EmptyState
      missing="field"
      title="No gateways linked to this entity"
      description={`Link the entity to its Gateways with ${KUBERNETES_ID_ANNOTATION} (the Kubernetes plugin's id, which the expose template puts on every manifest as a label) or by listing them in ${AWS_GATEWAY_ANNOTATION}, in the entity's catalog-info.yaml:`}
      action={
        <CodeSnippet
          text={annotationExample(entity)}
          language="yaml"
          showCopyCodeButton
        />
      }
    />
  );
}
