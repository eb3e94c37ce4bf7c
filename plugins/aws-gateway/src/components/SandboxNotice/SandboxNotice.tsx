import { WarningPanel } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** The configuration key the sandbox (`./run start`, packages/sandbox) sets in its overlay. */
export const SANDBOX_CONFIG_KEY = 'awsGateway.sandbox';

/**
 * Says plainly that the AWS data on the card comes from the local sandbox:
 * emulated AWS and a local cluster, nothing real. Driven by the backend's
 * configuration (`awsGateway.sandbox: true`), never guessed from addresses.
 * Nothing otherwise.
 *
 * @public
 */
export function SandboxNotice() {
  const sandbox = useApi(configApiRef).getOptionalBoolean(SANDBOX_CONFIG_KEY);
  if (!sandbox) return null;
  return (
    <WarningPanel
      severity="info"
      defaultExpanded
      title="Sandbox: emulated AWS, local cluster"
      message="This portal runs on the local sandbox of ./run start. Load balancers, target groups, target health and IAM objects live in an AWS emulator (moto), the Gateways in a local Kubernetes API server; nothing exists in a real AWS account and no traffic reaches these DNS names."
    />
  );
}
