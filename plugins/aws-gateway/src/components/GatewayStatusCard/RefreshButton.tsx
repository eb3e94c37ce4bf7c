import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ButtonIcon, Tooltip, TooltipTrigger } from '@backstage/ui';
import { RiRefreshLine } from '@remixicon/react';
import { awsGatewayTranslationRef } from '../../translation';

/** The card's action: read the status again, bypassing the backend's cache; spins while a read runs. */
export function RefreshButton(props: { onPress: () => void; busy: boolean }) {
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  return (
    <TooltipTrigger>
      <ButtonIcon
        size="small"
        variant="tertiary"
        aria-label={t('card.refresh')}
        icon={<RiRefreshLine />}
        onPress={props.onPress}
        isDisabled={props.busy}
      />
      <Tooltip>{t('card.refreshTooltip')}</Tooltip>
    </TooltipTrigger>
  );
}
