import { Flex, Text } from '@backstage/ui';
import {
  RiCheckboxCircleFill,
  RiCloseCircleFill,
  RiErrorWarningFill,
  RiIndeterminateCircleFill,
  RiTimeFill,
  RemixiconComponentType,
} from '@remixicon/react';
import { ReactNode } from 'react';

/** The kinds of status a label shows, as Backstage's status labels name them. */
export type StatusKind = 'ok' | 'pending' | 'warning' | 'error' | 'aborted';

const LOOK: Record<
  StatusKind,
  {
    Icon: RemixiconComponentType;
    color: 'success' | 'info' | 'warning' | 'danger' | 'secondary';
    fg: string;
  }
> = {
  ok: {
    Icon: RiCheckboxCircleFill,
    color: 'success',
    fg: 'var(--bui-positive-fg)',
  },
  pending: {
    Icon: RiTimeFill,
    color: 'info',
    fg: 'var(--bui-announcement-fg)',
  },
  warning: {
    Icon: RiErrorWarningFill,
    color: 'warning',
    fg: 'var(--bui-warning-fg)',
  },
  error: {
    Icon: RiCloseCircleFill,
    color: 'danger',
    fg: 'var(--bui-negative-fg)',
  },
  aborted: {
    Icon: RiIndeterminateCircleFill,
    color: 'secondary',
    fg: 'var(--bui-fg-secondary)',
  },
};

/** @public */
export interface StatusLabelProps {
  status: StatusKind;
  children: ReactNode;
}

/**
 * A status in Backstage UI: a coloured icon named for screen readers
 * ("Status ok") followed by the label.
 *
 * @public
 */
export function StatusLabel(props: StatusLabelProps) {
  const { Icon, color, fg } = LOOK[props.status];
  return (
    <Flex align="center" gap="1" style={{ display: 'inline-flex' }}>
      <span
        role="img"
        aria-label={`Status ${props.status}`}
        style={{ display: 'inline-flex', color: fg }}
      >
        <Icon size={16} />
      </span>
      <Text as="span" variant="body-medium" color={color}>
        {props.children}
      </Text>
    </Flex>
  );
}
