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
 * (or why none are shown), the protocols and which namespaces it admits.
 */
export function sharedGatewayLabel(
  g: FormSharedGateway,
  words: { freePorts: string; noFreePort: string },
): string {
  const name = g.title ? `${g.title} (${g.id})` : g.id;
  const ports =
    g.problem ??
    (g.freePorts.length
      ? `${words.freePorts} ${describeFreePorts(g)}`
      : words.noFreePort);
  return `${name} — ${ports}; ${g.protocols.join('/')}; ${g.admits}`;
}

/**
 * `ui:field: AwsGatewaySharedGatewayPicker`: the shared Gateways the platform
 * lets developers add a listener to, each with the ports still free on the
 * live Gateway. The value is the Gateway's id, `<cluster>/<namespace>/<name>`;
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
  };
  const gateways = useFormOption('shared-gateways', async () =>
    (await api.listSharedGateways()).map(g => ({
      value: g.id,
      label: sharedGatewayLabel(g, words),
    })),
  );
  return (
    <OptionSelect
      {...fieldBasics(props, t('fields.sharedGateway.label'))}
      value={props.formData ?? ''}
      onChange={value => props.onChange(value || undefined)}
      options={gateways}
      emptyText={t('fields.sharedGateway.empty')}
    />
  );
}
