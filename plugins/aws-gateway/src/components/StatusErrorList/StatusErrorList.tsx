import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { Text } from '@backstage/ui';
import {
  StatusError,
  StatusErrorKind,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';
import { awsGatewayTranslationRef } from '../../translation';

type Messages = typeof awsGatewayTranslationRef.T;

/** The message key of each part of the answer. */
const PART_KEYS = {
  catalog: 'statusErrors.part.catalog',
  kubernetes: 'statusErrors.part.kubernetes',
  aws: 'statusErrors.part.aws',
} as const satisfies Record<StatusPart, keyof Messages>;

/** The message key of each kind of failure (message keys are camelCase). */
const KIND_KEYS = {
  'not-configured': 'statusErrors.kind.notConfigured',
  permission: 'statusErrors.kind.permission',
  'not-found': 'statusErrors.kind.notFound',
  unreachable: 'statusErrors.kind.unreachable',
  error: 'statusErrors.kind.error',
} as const satisfies Record<StatusErrorKind, keyof Messages>;

/** "Kubernetes (cluster prod), permission denied" */
export function describeStatusErrorSource(
  error: StatusError,
  t: TranslationFunction<Messages>,
): string {
  // A part or kind a newer backend added shows as the backend named it.
  const part = PART_KEYS[error.part] ? t(PART_KEYS[error.part]) : error.part;
  const kind = KIND_KEYS[error.kind] ? t(KIND_KEYS[error.kind]) : error.kind;
  const where = error.cluster
    ? t('statusErrors.inCluster', { part, cluster: error.cluster })
    : part;
  return t('statusErrors.source', { where, kind });
}

/** @public */
export interface StatusErrorListProps {
  errors: StatusError[];
}

/**
 * Errors of the parts of a status answer that failed, one line each, naming
 * where it failed and what kind of failure it was.
 *
 * @public
 */
export function StatusErrorList(props: StatusErrorListProps) {
  const { errors } = props;
  const { t } = useTranslationRef(awsGatewayTranslationRef);
  if (errors.length === 0) {
    return null;
  }
  return (
    <ul style={{ margin: 0, paddingLeft: 'var(--bui-space-5)' }}>
      {errors.map((error, index) => (
        <li key={`${error.part}:${error.cluster ?? ''}:${index}`}>
          <Text as="span" variant="body-medium">
            <strong>{describeStatusErrorSource(error, t)}:</strong>{' '}
            {error.message}
          </Text>
        </li>
      ))}
    </ul>
  );
}
