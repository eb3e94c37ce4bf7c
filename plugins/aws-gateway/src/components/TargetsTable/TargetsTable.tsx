import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Cell,
  Column,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
} from '@backstage/ui';
import { TargetStatus } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StatusKind, StatusLabel } from '../StatusLabel';

/** Short values (IP, port, zone, state) stay on one line. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** How each target health state of the ELB API is shown. */
function statusOf(state: string): StatusKind {
  switch (state) {
    case 'healthy':
      return 'ok';
    case 'unhealthy':
    case 'unhealthy.draining':
      return 'error';
    case 'initial':
      return 'pending';
    case 'unused':
      return 'aborted';
    default:
      return 'warning';
  }
}

/** @public */
export interface TargetsTableProps {
  targets: TargetStatus[];
  /** Accessible name of the table, e.g. the target group's name. */
  label: string;
}

/**
 * The registered targets of one target group: which pod each IP belongs to
 * and why the load balancer considers it (un)healthy.
 *
 * @public
 */
export function TargetsTable(props: TargetsTableProps) {
  const { targets, label } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (targets.length === 0) {
    return (
      <Text as="p" variant="body-medium" color="secondary">
        {t('targets.none')}
      </Text>
    );
  }
  return (
    <TableRoot aria-label={label}>
      <TableHeader>
        <Column isRowHeader>{t('targets.columnPod')}</Column>
        <Column style={NOWRAP}>{t('targets.columnId')}</Column>
        <Column style={NOWRAP}>{t('targets.columnPort')}</Column>
        <Column style={NOWRAP}>{t('targets.columnZone')}</Column>
        <Column style={NOWRAP}>{t('targets.columnState')}</Column>
        <Column>{t('targets.columnReason')}</Column>
      </TableHeader>
      <TableBody>
        {targets.map(target => (
          <Row
            key={`${target.id}:${target.port ?? ''}`}
            id={`${target.id}:${target.port ?? ''}`}
          >
            <Cell>
              {target.pod ? (
                <>
                  <Text as="div" variant="body-medium">
                    {target.pod.name}
                  </Text>
                  <Text as="div" variant="body-small" color="secondary">
                    {target.pod.nodeName
                      ? t('targets.podOnNode', {
                          namespace: target.pod.namespace,
                          node: target.pod.nodeName,
                        })
                      : target.pod.namespace}
                  </Text>
                </>
              ) : (
                <Text color="secondary">—</Text>
              )}
            </Cell>
            <Cell style={NOWRAP}>
              <code>{target.id}</code>
            </Cell>
            <Cell style={NOWRAP}>{target.port ?? '—'}</Cell>
            <Cell style={NOWRAP}>{target.availabilityZone ?? '—'}</Cell>
            <Cell style={NOWRAP}>
              <StatusLabel status={statusOf(target.state)}>
                {target.state}
              </StatusLabel>
            </Cell>
            <Cell>
              {target.reason || target.description ? (
                <>
                  {target.reason && (
                    <Text as="div" variant="body-medium">
                      {target.reason}
                    </Text>
                  )}
                  {target.description && (
                    <Text as="div" variant="body-small" color="secondary">
                      {target.description}
                    </Text>
                  )}
                </>
              ) : (
                '—'
              )}
            </Cell>
          </Row>
        ))}
      </TableBody>
    </TableRoot>
  );
}
