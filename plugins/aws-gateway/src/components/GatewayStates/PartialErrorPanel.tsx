import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert } from '@backstage/ui';
import { StatusError } from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';
import { StatusErrorList } from '../StatusErrorList';

/** @public */
export interface PartialErrorPanelProps {
  errors: StatusError[];
  title?: string;
}

/**
 * Parts of the answer that failed (a cluster unreachable, AWS access denied)
 * while the rest is shown. Open, because what is missing matters.
 *
 * @public
 */
export function PartialErrorPanel(props: PartialErrorPanelProps) {
  const { errors } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (errors.length === 0) {
    return null;
  }
  return (
    <Alert
      status="warning"
      icon
      role="alert"
      title={props.title ?? t('card.partialErrorsTitle')}
      description={<StatusErrorList errors={errors} />}
    />
  );
}
