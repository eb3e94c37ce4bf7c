import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ButtonIcon,
  Cell,
  Flex,
  Row,
  Text,
  Tooltip,
  TooltipTrigger,
} from '@backstage/ui';
import { RiArrowDownSLine, RiArrowUpSLine } from '@remixicon/react';
import {
  GatewayWarning,
  ListenerSummary,
} from '@gateway-portal/plugin-aws-gateway-common';
import { Fragment, useId, useState } from 'react';
import { awsGatewayTranslationRef } from '../../translation';
import { TargetsTable } from '../TargetsTable';
import { HealthCell } from './HealthCell';
import { ListenerCell } from './ListenerCell';
import { COLUMN_COUNT } from './ListenersTableLayout';
import { RouteCell } from './RouteCell';
import { TargetGroupCell } from './TargetGroupCell';

/** Cells start at the top: a listener's lines and its target groups' lines line up. */
const TOP = { verticalAlign: 'top' } as const;

/** One listener's row, and below it the targets of its target groups once asked for. */
export function ListenerRows(props: {
  listener: ListenerSummary;
  dnsName?: string;
  warnings: GatewayWarning[];
}) {
  const { listener, dnsName, warnings } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const [expanded, setExpanded] = useState(false);
  const targetsId = useId();
  const hasTargetGroups = listener.targetGroups.length > 0;
  const toggleLabel = expanded
    ? t('listeners.hideTargets')
    : t('listeners.showTargets');
  const key = `${listener.name}:${listener.port}`;

  return (
    <>
      <Row id={key}>
        <Cell style={TOP}>
          <ListenerCell listener={listener} dnsName={dnsName} />
        </Cell>
        <Cell style={TOP}>
          <RouteCell routes={listener.routes} warnings={warnings} />
        </Cell>
        <Cell style={TOP}>
          <TargetGroupCell targetGroups={listener.targetGroups} />
        </Cell>
        <Cell style={TOP}>
          <HealthCell targetGroups={listener.targetGroups} />
        </Cell>
        <Cell style={TOP}>
          {hasTargetGroups && (
            <TooltipTrigger>
              <ButtonIcon
                size="small"
                variant="tertiary"
                icon={expanded ? <RiArrowUpSLine /> : <RiArrowDownSLine />}
                onPress={() => setExpanded(value => !value)}
                aria-label={toggleLabel}
                aria-expanded={expanded}
                aria-controls={expanded ? targetsId : undefined}
              />
              <Tooltip>{toggleLabel}</Tooltip>
            </TooltipTrigger>
          )}
        </Cell>
      </Row>
      {hasTargetGroups && expanded && (
        <Row id={`${key}:targets`}>
          <Cell colSpan={COLUMN_COUNT}>
            <Flex id={targetsId} direction="column" gap="2" py="2">
              {listener.targetGroups.map(targetGroup => (
                <Fragment key={targetGroup.arn}>
                  <Text as="h5" variant="body-medium" weight="bold">
                    {t('listeners.targetsOf', { name: targetGroup.name })}
                  </Text>
                  <TargetsTable
                    targets={targetGroup.targets}
                    label={t('listeners.targetsOf', { name: targetGroup.name })}
                  />
                </Fragment>
              ))}
            </Flex>
          </Cell>
        </Row>
      )}
    </>
  );
}
