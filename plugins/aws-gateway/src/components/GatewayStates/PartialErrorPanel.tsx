import { WarningPanel } from '@backstage/core-components';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { StatusErrorList } from '../StatusErrorList';

/** @public */
export interface PartialErrorPanelProps {
  errors: StatusError[];
  title?: string;
}

/**
 * Parts of the answer that failed (a cluster unreachable, AWS access denied)
 * while the rest is shown. Expanded, because what is missing matters.
 *
 * @public
 */
export function PartialErrorPanel(props: PartialErrorPanelProps) {
  const { errors, title = 'Some gateway information could not be loaded' } =
    props;
  if (errors.length === 0) {
    return null;
  }
  return (
    <WarningPanel severity="warning" title={title} defaultExpanded>
      <StatusErrorList errors={errors} />
    </WarningPanel>
  );
}
