import FormHelperText from '@material-ui/core/FormHelperText';
import Link from '@material-ui/core/Link';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { FormSharedGateway } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { awsGatewayFormOptionsApiRef } from '../api';
import { fieldBasics, OptionSelect } from '../support/OptionSelect';
import { useFormOption } from '../support/useFormOption';

/** `20001-20004, 20010`: free port ranges as a developer reads them. */
export function describeFreePorts(g: FormSharedGateway): string {
  return g.freePorts
    .map(r => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`))
    .join(', ');
}

/**
 * One shared Gateway as a line of the list: its title or id, the free ports
 * (or why none are shown) and those pending review, the protocols (with
 * TLS, the host names it may carry) and which namespaces it admits.
 */
export function sharedGatewayLabel(
  g: FormSharedGateway,
  words: {
    freePorts: string;
    noFreePort: string;
    pendingPorts: string;
    tlsHostnames: string;
  },
): string {
  const name = g.title ? `${g.title} (${g.id})` : g.id;
  const ports =
    g.problem ??
    (g.freePorts.length
      ? `${words.freePorts} ${describeFreePorts(g)}`
      : words.noFreePort);
  const pending = g.pendingPorts.length
    ? `; ${words.pendingPorts} ${g.pendingPorts.map(p => p.port).join(', ')}`
    : '';
  const tls = g.tlsHostnames?.length
    ? ` (${words.tlsHostnames} ${g.tlsHostnames.join(', ')})`
    : '';
  return `${name} — ${ports}${pending}; ${g.protocols.join('/')}${tls}; ${
    g.admits
  }`;
}

/**
 * Under the chosen Gateway: each port pending review with a link to its pull
 * request, and what could not be read (so no port is taken as free unsaid).
 */
function PendingReviews(props: { gateway?: FormSharedGateway }) {
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const g = props.gateway;
  if (!g || (!g.pendingPorts.length && !g.pendingNote)) return null;
  return (
    <>
      {g.pendingPorts.map(p => (
        <FormHelperText key={`${p.port}-${p.pullRequestNumber}`}>
          {t('fields.sharedGateway.pendingPort', {
            port: String(p.port),
            listener: p.listenerName,
          })}{' '}
          <Link href={p.pullRequestUrl} target="_blank" rel="noopener">
            #{p.pullRequestNumber}
          </Link>
        </FormHelperText>
      ))}
      {g.pendingNote && (
        <Alert severity="info">
          {t('fields.sharedGateway.pendingUnknown', { note: g.pendingNote })}
        </Alert>
      )}
    </>
  );
}

/**
 * `ui:field: AwsGatewaySharedGatewayPicker`: the shared Gateways the platform
 * lets developers add a listener to, each with the ports still free (live,
 * in the manifest, and in no open review of the portal); the chosen one's
 * pending ports link their pull requests. The value is the Gateway's id, `<cluster>/<namespace>/<name>`;
 * the action checks it again on the server.
 */
export function SharedGatewayPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const api = useApi(awsGatewayFormOptionsApiRef);
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const words = {
    freePorts: t('fields.sharedGateway.freePorts'),
    noFreePort: t('fields.sharedGateway.noFreePort'),
    pendingPorts: t('fields.sharedGateway.pendingPorts'),
    tlsHostnames: t('fields.sharedGateway.tlsHostnames'),
  };
  const listed = useFormOption('shared-gateways', () =>
    api.listSharedGateways(),
  );
  const gateways = {
    ...listed,
    value: listed.value?.map(g => ({
      value: g.id,
      label: sharedGatewayLabel(g, words),
    })),
  };
  return (
    <>
      <OptionSelect
        {...fieldBasics(props, t('fields.sharedGateway.label'))}
        value={props.formData ?? ''}
        onChange={value => props.onChange(value || undefined)}
        options={gateways}
        emptyText={t('fields.sharedGateway.empty')}
      />
      <PendingReviews
        gateway={listed.value?.find(g => g.id === props.formData)}
      />
    </>
  );
}
