import { parseEntityRef } from '@backstage/catalog-model';
import { EmptyState } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import { Link as RouterLink } from 'react-router-dom';

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
  const configApi = useApi(configApiRef);
  const templateRef =
    configApi.getOptionalString('awsGateway.exposeTemplateRef') ??
    DEFAULT_EXPOSE_TEMPLATE_REF;

  return (
    <EmptyState
      missing="content"
      title="No gateway yet"
      description={`No Gateway in the configured clusters belongs to ${entityRef}. Create one with the template to get a public TCP endpoint on an AWS Network Load Balancer.`}
      action={
        <Button
          variant="contained"
          color="primary"
          component={RouterLink}
          // The template's `component` field starts out as this entity.
          to={`${templatePath(templateRef)}?formData=${encodeURIComponent(
            JSON.stringify({ component: entityRef }),
          )}`}
          // It navigates, so it is a link; MUI would announce it as a button.
          role="link"
        >
          Expose a TCP endpoint
        </Button>
      }
    />
  );
}
