import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  GatewayWarning,
  RouteSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { ReactNode } from 'react';
import { BreakAfter } from './BreakAfter';
import { describeBackends, RouteState, routeState } from './routeState';

function RouteStatus(props: { state: RouteState; children: ReactNode }) {
  const { state, children } = props;
  if (state.refused) return <StatusError>{children}</StatusError>;
  return state.shadowed ? (
    <StatusWarning>{children}</StatusWarning>
  ) : (
    <StatusOK>{children}</StatusOK>
  );
}

/** The routes attached to a listener: status, why one is refused, and its backends. */
export function RouteCell(props: {
  routes: RouteSummary[];
  warnings: GatewayWarning[];
}) {
  const { routes, warnings } = props;
  if (routes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No route attached
      </Typography>
    );
  }
  return (
    <>
      {routes.map(route => {
        const state = routeState(route, warnings);
        const label = `${route.kind} ${route.namespace}/${route.name}`;
        return (
          <Box key={`${route.kind}/${route.namespace}/${route.name}`}>
            <Typography variant="body2" component="div">
              <RouteStatus state={state}>
                <BreakAfter text={label} separators="/" />
              </RouteStatus>
            </Typography>
            {state.refusal && (
              <Typography variant="caption" color="textSecondary">
                {state.refusal.reason}
                {state.refusal.message ? `: ${state.refusal.message}` : ''}
              </Typography>
            )}
            {state.shadowed && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                Accepted, but gets no traffic: another route owns this port
              </Typography>
            )}
            {route.backends.length > 0 && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                → {describeBackends(route)}
              </Typography>
            )}
          </Box>
        );
      })}
    </>
  );
}
