import { useApi } from '@backstage/core-plugin-api';
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
import { useEffect, useMemo, useState } from 'react';
import { awsGatewayFormOptionsApiRef } from '../api';
import { formErrorMessage } from '../support/formError';
import { formValuesOf } from '../support/formValues';
import { FormOptionState } from '../support/useFormOption';

/** What the review step shows: the profile and the files, as the commit will write them. */
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

const PROFILE_SOURCE: Record<
  NonNullable<EndpointFormCheck['controllerProfile']>['source'],
  string
> = {
  cluster: 'detected on the cluster',
  input: 'chosen in this form',
  configuration: "the platform's default",
};

/** The review step's value for a check. */
export function checkValue(check: EndpointFormCheck): EndpointCheckValue {
  const profile = check.controllerProfile;
  return {
    ...(profile
      ? {
          controllerProfile: `${profile.id} (${
            PROFILE_SOURCE[profile.source]
          })`,
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
  return (
    <ul aria-label="Platform rules">
      <li>Listener ports: {describePorts(guardrails)}</li>
      <li>
        {guardrails.internetFacingNeedsSourceCidrs
          ? `Internet-facing endpoints need source CIDRs (IPv4 blocks /${guardrails.minSourceRangePrefixLength.ipv4} or narrower, IPv6 /${guardrails.minSourceRangePrefixLength.ipv6} or narrower); internal endpoints do not.`
          : 'Internet-facing endpoints may be open to the whole internet; list source CIDRs to narrow who may connect.'}
      </li>
      <li>
        Namespaces:{' '}
        {guardrails.allowedNamespaces
          ? guardrails.allowedNamespaces.join(', ') || 'none'
          : 'any namespace your team may use'}
      </li>
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
      api.checkEndpoint(parsed).then(
        check => {
          if (!current) return;
          setState({ loading: false, value: check });
          onChange(checkValue(check));
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
  }, [api, parsed]);

  const check = state.value;
  return (
    <ScaffolderField
      rawDescription={props.schema?.description}
      rawErrors={props.rawErrors}
      required={props.required}
      disabled={props.disabled}
    >
      <Typography variant="subtitle2">
        {props.schema?.title ?? 'Check'}
      </Typography>
      {state.loading && <LinearProgress aria-label="Checking the endpoint" />}
      {state.error && (
        <Alert severity="warning" role="alert">
          {formErrorMessage(state.error)}
        </Alert>
      )}
      {check && (
        <>
          <GuardrailList guardrails={check.guardrails} />
          {check.issues.length > 0 && (
            <Alert severity="error" role="alert" aria-label="What to change">
              <ul>
                {check.issues.map(i => (
                  <li key={`${i.field}-${i.rule}-${i.message}`}>{i.message}</li>
                ))}
              </ul>
            </Alert>
          )}
          {check.controllerProfile && (
            <Typography variant="body2">
              Controller profile: <strong>{check.controllerProfile.id}</strong>{' '}
              ({PROFILE_SOURCE[check.controllerProfile.source]}):{' '}
              {check.controllerProfile.title}
            </Typography>
          )}
          {check.files.length > 0 && (
            <>
              <Typography variant="body2">Files to commit:</Typography>
              <ul aria-label="Files to commit">
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
