import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Column,
  TableBody,
  TableHeader,
  TableRoot,
  VisuallyHidden,
} from '@backstage/ui';
import { ReactNode } from 'react';
import { awsGatewayTranslationRef } from '../../translation';

/** Listener, route, target group, health, and the targets toggle. */
export const COLUMN_COUNT = 5;

/** The listeners table's frame: its column headers and widths. */
export function ListenersTableLayout(props: { children: ReactNode }) {
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <TableRoot aria-label={t('listeners.label')}>
      <TableHeader>
        <Column isRowHeader style={{ width: '30%' }}>
          {t('listeners.columnListener')}
        </Column>
        <Column style={{ width: '27%' }}>{t('listeners.columnRoute')}</Column>
        <Column style={{ width: '23%' }}>
          {t('listeners.columnTargetGroup')}
        </Column>
        <Column style={{ width: '20%', minWidth: 128 }}>
          {t('listeners.columnHealth')}
        </Column>
        <Column style={{ width: 48 }}>
          <VisuallyHidden>{t('listeners.columnTargets')}</VisuallyHidden>
        </Column>
      </TableHeader>
      <TableBody>{props.children}</TableBody>
    </TableRoot>
  );
}
