import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';

/** The card's action: read the status again, bypassing the backend's cache. */
export function RefreshButton(props: {
  onClick: () => void;
  disabled: boolean;
}) {
  return (
    <Tooltip title="Read the status again from Kubernetes and AWS">
      {/* The span keeps the tooltip working while the button is disabled. */}
      <span>
        <IconButton
          aria-label="Refresh"
          onClick={props.onClick}
          disabled={props.disabled}
        >
          <RefreshIcon />
        </IconButton>
      </span>
    </Tooltip>
  );
}
