import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Text } from '@backstage/ui';
import {
  GatewayWarning,
  RouteSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StatusKind, StatusLabel } from '../StatusLabel';
import { BreakAfter } from './BreakAfter';
import { describeBackends, RouteState, routeState } from './routeState';

function statusOf(state: RouteState): StatusKind {
  if (state.refused) return 'error';
  return state.shadowed ? 'warning' : 'ok';
}

/** The routes attached to a listener: status, why one is refused, and its backends. */
export function RouteCell(props: {
  routes: RouteSummary[];
  warnings: GatewayWarning[];
}) {
  const { routes, warnings } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (routes.length === 0) {
    return (
      <Text variant="body-medium" color="secondary">
        {t('listeners.noRoute')}
      </Text>
    );
  }
  return (
    <>
      {routes.map(route => {
        const state = routeState(route, warnings);
        const label = `${route.kind} ${route.namespace}/${route.name}`;
        return (
          <div key={`${route.kind}/${route.namespace}/${route.name}`}>
            <StatusLabel status={statusOf(state)}>
              <BreakAfter text={label} separators="/" />
            </StatusLabel>
            {state.refusal && (
              <Text as="div" variant="body-small" color="secondary">
                {state.refusal.reason}
                {state.refusal.message ? `: ${state.refusal.message}` : ''}
              </Text>
            )}
            {state.shadowed && (
              <Text as="div" variant="body-small" color="secondary">
                {t('listeners.routeShadowed')}
              </Text>
            )}
            {route.backends.length > 0 && (
              <Text as="div" variant="body-small" color="secondary">
                → {describeBackends(route)}
              </Text>
            )}
          </div>
        );
      })}
    </>
  );
}
