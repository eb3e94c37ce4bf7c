import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusErrorKind,
  StatusPart,
} from '@gateway-portal/plugin-aws-gateway-common';

const PART_LABELS: Record<StatusPart, string> = {
  catalog: 'Catalog',
  kubernetes: 'Kubernetes',
  aws: 'AWS',
};

const KIND_LABELS: Record<StatusErrorKind, string> = {
  'not-configured': 'not configured',
  permission: 'permission denied',
  'not-found': 'not found',
  unreachable: 'unreachable',
  error: 'error',
};

/** "Kubernetes (cluster prod), permission denied" */
export function describeStatusErrorSource(error: StatusError): string {
  const part = PART_LABELS[error.part] ?? error.part;
  const where = error.cluster ? `${part} (cluster ${error.cluster})` : part;
  return `${where}, ${KIND_LABELS[error.kind] ?? error.kind}`;
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
  if (errors.length === 0) {
    return null;
  }
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {errors.map((error, index) => (
        <li key={`${error.part}:${error.cluster ?? ''}:${index}`}>
          <Typography variant="body2" component="span">
            <strong>{describeStatusErrorSource(error)}:</strong> {error.message}
          </Typography>
        </li>
      ))}
    </ul>
  );
}
