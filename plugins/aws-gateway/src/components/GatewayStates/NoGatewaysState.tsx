import { parseEntityRef } from '@backstage/catalog-model';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ButtonLink } from '@backstage/ui';
import { awsGatewayTranslationRef } from '../../translation';
import { StateMessage } from './StateMessage';

/** The scaffolder template the card links to when config does not name one. */
export const DEFAULT_EXPOSE_TEMPLATE_REF =
  'template:default/expose-tcp-endpoint';

/** Path of the scaffolder's page for a template, e.g. `/create/templates/default/expose-tcp-endpoint`. */
export function templatePath(templateRef: string): string {
  const { namespace, name } = parseEntityRef(templateRef, {
    defaultKind: 'template',
    defaultNamespace: 'default',
  });
  return `/create/templates/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(name)}`;
}

/** @public */
export interface NoGatewaysStateProps {
  /** The entity's ref, as shown to the user. */
  entityRef: string;
}

/**
 * No Gateway belongs to the entity yet: links to the template that creates
 * one (`awsGateway.exposeTemplateRef`).
 *
 * @public
 */
export function NoGatewaysState(props: NoGatewaysStateProps) {
  const { entityRef } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const configApi = useApi(configApiRef);
  const templateRef =
    configApi.getOptionalString('awsGateway.exposeTemplateRef') ??
    DEFAULT_EXPOSE_TEMPLATE_REF;

  return (
    <StateMessage
      title={t('noGateways.title')}
      description={t('noGateways.description', { entityRef })}
      action={
        <ButtonLink
          variant="primary"
          // The template's `component` field starts out as this entity.
          href={`${templatePath(templateRef)}?formData=${encodeURIComponent(
            JSON.stringify({ component: entityRef }),
          )}`}
        >
          {t('noGateways.action')}
        </ButtonLink>
      }
    />
  );
}
