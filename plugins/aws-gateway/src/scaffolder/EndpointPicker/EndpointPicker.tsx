import FormHelperText from '@material-ui/core/FormHelperText';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  FormEndpoint,
  FormEndpointListener,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { useKubernetesUserTokens } from '../../hooks/useKubernetesUserTokens';
import { awsGatewayFormOptionsApiRef } from '../api';
import { formValuesOf } from '../support/formValues';
import { fieldBasics, OptionSelect } from '../support/OptionSelect';
import { useFormOption } from '../support/useFormOption';

/** `TCP 5432, TLS 443 db.apps.example.com`: listeners as a developer reads them. */
function describeListeners(listeners: FormEndpointListener[]): string {
  return listeners
    .map(l =>
      [l.protocol, String(l.port), ...(l.hostname ? [l.hostname] : [])].join(
        ' ',
      ),
    )
    .join(', ');
}

/** One endpoint as a line of the list: its name, what it is and its listeners. */
export function endpointLabel(
  e: FormEndpoint,
  words: {
    ownGateway: string;
    sharedListener: (gateway: string) => string;
    noListener: string;
  },
): string {
  const what =
    e.kind === 'shared-listener' && e.sharedGateway
      ? words.sharedListener(e.sharedGateway.title ?? e.sharedGateway.id)
      : words.ownGateway;
  return `${e.name} — ${what}; ${
    e.listeners.length ? describeListeners(e.listeners) : words.noListener
  }`;
}

/** The names of the sibling fields the picker reads (`ui:options`), by default the templates' own. */
function siblingFields(uiSchema: unknown) {
  const options =
    (uiSchema as { 'ui:options'?: Record<string, unknown> } | undefined)?.[
      'ui:options'
    ] ?? {};
  const name = (key: string, fallback: string) =>
    typeof options[key] === 'string' ? (options[key] as string) : fallback;
  return {
    component: name('componentField', 'component'),
    cluster: name('clusterField', 'cluster'),
    namespace: name('namespaceField', 'namespace'),
  };
}

/**
 * `ui:field: AwsGatewayEndpointPicker`: the endpoints of the form's component
 * live in the chosen namespace of the chosen cluster — its own Gateways and
 * its listeners on shared gateways — as suggestions for the Gateway or route
 * name; any typed name is kept (an endpoint in review is not live yet). For
 * a listener on a shared gateway that offers TLS, the host names it allows
 * are shown under the field, before submit. The value is the endpoint's name;
 * the template's actions check it again on the server.
 */
export function EndpointPicker(props: FieldExtensionComponentProps<string>) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const kubernetesTokens = useKubernetesUserTokens();
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const fields = siblingFields(props.uiSchema);
  const values = formValuesOf(props.formContext) as Record<string, unknown>;
  const text = (key: string) =>
    typeof values[key] === 'string' && values[key]
      ? (values[key] as string)
      : undefined;
  const component = text(fields.component);
  const cluster = text(fields.cluster);
  const namespace = text(fields.namespace);
  const ready = component && cluster && namespace;
  const listed = useFormOption(
    ready ? JSON.stringify([cluster, namespace, component]) : undefined,
    () =>
      api.listEndpoints(
        { cluster: cluster!, namespace: namespace!, entityRef: component! },
        { kubernetesTokens },
      ),
  );
  const words = {
    ownGateway: t('fields.endpoint.ownGateway'),
    sharedListener: (gateway: string) =>
      t('fields.endpoint.sharedListener', { gateway }),
    noListener: t('fields.endpoint.noListener'),
  };
  const endpoints = listed.value?.endpoints;
  const options = ready
    ? {
        ...listed,
        value: endpoints?.map(e => ({
          value: e.name,
          label: endpointLabel(e, words),
        })),
      }
    : undefined;
  const missing = [
    ...(component ? [] : [t('fields.endpoint.missingComponent')]),
    ...(cluster ? [] : [t('fields.endpoint.missingCluster')]),
    ...(namespace ? [] : [t('fields.endpoint.missingNamespace')]),
  ];
  const picked = endpoints?.find(e => e.name === props.formData);
  const shared = picked?.kind === 'shared-listener' && picked.sharedGateway;
  return (
    <>
      <OptionSelect
        {...fieldBasics(props, t('fields.endpoint.label'))}
        allowTyped
        value={props.formData ?? ''}
        onChange={value => props.onChange(value || undefined)}
        options={options}
        emptyText={t('fields.endpoint.empty', {
          component: component ?? '',
          namespace: namespace ?? '',
        })}
        freeTextHint={t('fields.endpoint.pickFirst', {
          missing: new Intl.ListFormat(undefined, {
            type: 'conjunction',
          }).format(missing),
        })}
      />
      {endpoints && endpoints.length > 0 && (
        <FormHelperText>{t('fields.endpoint.inReview')}</FormHelperText>
      )}
      {listed.value?.problem && (
        <Alert severity="info">{listed.value.problem}</Alert>
      )}
      {shared && shared.tlsHostnames?.length ? (
        <Alert severity="info">
          {t('fields.endpoint.tlsHostnames', {
            gateway: shared.title ?? shared.id,
            hostnames: shared.tlsHostnames.join(', '),
          })}
        </Alert>
      ) : null}
    </>
  );
}
