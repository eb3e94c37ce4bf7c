import { Entity } from '@backstage/catalog-model';
import { CodeSnippet } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  AWS_GATEWAY_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StateMessage } from './StateMessage';

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
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <StateMessage
      title={t('missingAnnotation.title')}
      description={t('missingAnnotation.description', {
        kubernetesId: KUBERNETES_ID_ANNOTATION,
        gateways: AWS_GATEWAY_ANNOTATION,
      })}
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
