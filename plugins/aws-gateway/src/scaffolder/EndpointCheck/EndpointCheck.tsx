import { useApi } from '@backstage/core-plugin-api';
import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  EndpointFormCheck,
  EndpointFormValues,
  FormGuardrails,
} from '@gateway-portal/plugin-aws-gateway-common';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect, useMemo, useState } from 'react';
import { awsGatewayTranslationRef } from '../../translation';
import { useKubernetesUserTokens } from '../../hooks/useKubernetesUserTokens';
import { awsGatewayFormOptionsApiRef } from '../api';
import { formErrorMessage } from '../support/formError';
import { formValuesOf } from '../support/formValues';
import { FormOptionState } from '../support/useFormOption';

/** What the review step shows: the profile and the files, as the commit will write them. @public */
export interface EndpointCheckValue {
  controllerProfile?: string;
  files?: string[];
}

/** How long typing may pause before the form is checked again. */
export const CHECK_DEBOUNCE_MS = 400;

const FORM_KEYS: Array<keyof EndpointFormValues> = [
  'cluster',
  'namespace',
  'serviceName',
  'servicePort',
  'gatewayName',
  'listenerName',
  'listenerPort',
  'protocol',
  'tlsHostname',
  'routeName',
  'scheme',
  'sourceCidrs',
  'controllerProfile',
  // The shared-gateway path: what its action would refuse is checked too.
  'gatewayKind',
  'sharedGateway',
];

/** The endpoint's values out of the whole form (other fields are none of the backend's business). */
export function endpointValues(formData: unknown): EndpointFormValues {
  const all = formValuesOf({ formData });
  return Object.fromEntries(
    FORM_KEYS.filter(k => all[k] !== undefined && all[k] !== '').map(k => [
      k,
      all[k],
    ]),
  ) as EndpointFormValues;
}

type Messages = typeof awsGatewayTranslationRef.T;
type ProfileSource = NonNullable<
  EndpointFormCheck['controllerProfile']
>['source'];

/** Where the controller profile came from, in words. */
function profileSource(
  source: ProfileSource,
  t: TranslationFunction<Messages>,
): string {
  return t(`fields.endpointCheck.profileSource.${source}`);
}

/** The review step's value for a check. */
export function checkValue(
  check: EndpointFormCheck,
  t: TranslationFunction<Messages>,
): EndpointCheckValue {
  const profile = check.controllerProfile;
  return {
    ...(profile
      ? {
          controllerProfile: `${profile.id} (${profileSource(
            profile.source,
            t,
          )})`,
        }
      : {}),
    files: check.files,
  };
}

function describePorts(g: FormGuardrails): string {
  return g.allowedListenerPorts
    .map(r => (r.from === r.to ? `${r.from}` : `${r.from}–${r.to}`))
    .join(', ');
}

function GuardrailList({ guardrails }: { guardrails: FormGuardrails }) {
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  let namespaces: string = t('fields.endpointCheck.anyNamespace');
  if (guardrails.allowedNamespaces) {
    namespaces =
      guardrails.allowedNamespaces.join(', ') ||
      t('fields.endpointCheck.noNamespace');
  }
  return (
    <ul aria-label={t('fields.endpointCheck.rules')}>
      <li>
        {t('fields.endpointCheck.listenerPorts', {
          ports: describePorts(guardrails),
        })}
      </li>
      <li>
        {guardrails.internetFacingNeedsSourceCidrs
          ? t('fields.endpointCheck.sourceCidrsRequired', {
              ipv4: String(guardrails.minSourceRangePrefixLength.ipv4),
              ipv6: String(guardrails.minSourceRangePrefixLength.ipv6),
            })
          : t('fields.endpointCheck.sourceCidrsOptional')}
      </li>
      <li>{t('fields.endpointCheck.namespaces', { namespaces })}</li>
    </ul>
  );
}

/**
 * `ui:field: AwsGatewayEndpointCheck`: the platform's rules, and the check of
 * what was filled in so far — the controller profile the manifests will
 * target and the files that will be committed, or what must change. Its value
 * (profile and files) is what the review step shows.
 */
export function EndpointCheck(
  props: FieldExtensionComponentProps<EndpointCheckValue>,
) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const kubernetesTokens = useKubernetesUserTokens();
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const values = endpointValues(
    (props.formContext as { formData?: unknown } | undefined)?.formData,
  );
  const key = JSON.stringify(values);
  const [state, setState] = useState<FormOptionState<EndpointFormCheck>>({
    loading: true,
  });
  const { onChange } = props;
  const parsed = useMemo(() => JSON.parse(key) as EndpointFormValues, [key]);

  useEffect(() => {
    let current = true;
    setState(s => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api.checkEndpoint(parsed, { kubernetesTokens }).then(
        check => {
          if (!current) return;
          setState({ loading: false, value: check });
          onChange(checkValue(check, t));
        },
        error => current && setState({ loading: false, error }),
      );
    }, CHECK_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `onChange` is a new function on every render of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, kubernetesTokens, parsed]);

  const check = state.value;
  return (
    <ScaffolderField
      rawDescription={props.schema?.description}
      rawErrors={props.rawErrors}
      required={props.required}
      disabled={props.disabled}
    >
      <Typography variant="subtitle2">
        {props.schema?.title ?? t('fields.endpointCheck.label')}
      </Typography>
      {state.loading && (
        <LinearProgress aria-label={t('fields.endpointCheck.checking')} />
      )}
      {state.error && (
        <Alert severity="warning" role="alert">
          {formErrorMessage(state.error, t)}
        </Alert>
      )}
      {check && (
        <>
          <GuardrailList guardrails={check.guardrails} />
          {check.issues.length > 0 && (
            <Alert
              severity="error"
              role="alert"
              aria-label={t('fields.endpointCheck.issues')}
            >
              <ul>
                {check.issues.map(i => (
                  <li key={`${i.field}-${i.rule}-${i.message}`}>{i.message}</li>
                ))}
              </ul>
            </Alert>
          )}
          {check.notes && check.notes.length > 0 && (
            <Alert
              severity="warning"
              role="status"
              aria-label={t('fields.endpointCheck.notes')}
            >
              <AlertTitle>{t('fields.endpointCheck.notes')}</AlertTitle>
              <ul>
                {check.notes.map(n => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
              {t('fields.endpointCheck.notesHint')}
            </Alert>
          )}
          {check.controllerProfile && (
            <Typography variant="body2">
              {t('fields.endpointCheck.profile')}{' '}
              <strong>{check.controllerProfile.id}</strong> (
              {profileSource(check.controllerProfile.source, t)}):{' '}
              {check.controllerProfile.title}
            </Typography>
          )}
          {check.files.length > 0 && (
            <>
              <Typography variant="body2">
                {t('fields.endpointCheck.files')}
              </Typography>
              <ul aria-label={t('fields.endpointCheck.filesList')}>
                {check.files.map(f => (
                  <li key={f}>
                    <code>{f}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </ScaffolderField>
  );
}
