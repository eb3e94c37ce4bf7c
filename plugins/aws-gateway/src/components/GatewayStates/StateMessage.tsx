import { Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';

/**
 * What the card says when it has no gateway to show: a title, a sentence
 * and what to do about it, in Backstage UI type.
 */
export function StateMessage(props: {
  title: string;
  description: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Flex direction="column" gap="3" py="2">
      <Text as="h4" variant="title-x-small" weight="bold">
        {props.title}
      </Text>
      <Text as="p" variant="body-medium" color="secondary">
        {props.description}
      </Text>
      {props.action && <div>{props.action}</div>}
    </Flex>
  );
}
