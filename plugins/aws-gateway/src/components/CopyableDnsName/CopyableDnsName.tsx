import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ButtonIcon, Flex, Text, Tooltip, TooltipTrigger } from '@backstage/ui';
import { RiFileCopyLine } from '@remixicon/react';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import { awsGatewayTranslationRef } from '../../translation';

/** @public */
export interface CopyableDnsNameProps {
  dnsName: string;
}

/**
 * A load balancer DNS name in monospace with a button that copies it.
 *
 * @public
 */
export function CopyableDnsName(props: CopyableDnsNameProps) {
  const { dnsName } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  const [copied, copy] = useCopyToClipboard();
  return (
    <Flex align="center" gap="1">
      <code
        style={{
          fontFamily: 'var(--bui-font-monospace)',
          wordBreak: 'break-all',
        }}
      >
        {dnsName}
      </code>
      <TooltipTrigger>
        <ButtonIcon
          size="small"
          variant="tertiary"
          aria-label={t('facts.copyDnsName')}
          icon={<RiFileCopyLine />}
          onPress={() => copy(dnsName)}
        />
        <Tooltip>{t('facts.copyDnsName')}</Tooltip>
      </TooltipTrigger>
      {copied.value === dnsName && (
        <Text as="span" variant="body-small" color="secondary" role="status">
          {t('facts.dnsNameCopied')}
        </Text>
      )}
    </Flex>
  );
}
