/**
 * The one rule that decides whether `./run start` starts the sandbox: only a
 * portal with nothing real to talk to gets one. Real clusters or AWS
 * credentials in the configuration (or AWS credentials in the environment,
 * which the AWS SDK's default chain would use) keep it off, so a configured
 * portal never ends up wired to emulators.
 */
import type { Config } from '@backstage/config';

/** `GATEWAY_PORTAL_SANDBOX=off` keeps the sandbox off whatever is configured. */
export const SANDBOX_SWITCH_ENV = 'GATEWAY_PORTAL_SANDBOX';

/** Environment variables through which the AWS SDK's default chain finds credentials. */
const AWS_CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];

export interface SandboxDecision {
  start: boolean;
  /** Why not (empty when it starts): each thing that is configured for real. */
  reasons: string[];
}

function clusterReasons(config: Config): string[] {
  const reasons: string[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const [i, method] of methods.entries()) {
    const type = method.getOptionalString('type') ?? '(no type)';
    if (type !== 'config') {
      // catalog, gke, localKubectlProxy…: clusters found at runtime are real ones.
      reasons.push(`kubernetes.clusterLocatorMethods[${i}] is of type ${type}`);
      continue;
    }
    const clusters = method.getOptionalConfigArray('clusters') ?? [];
    if (clusters.length) {
      const names = clusters.map(
        c => c.getOptionalString('name') ?? '(unnamed)',
      );
      reasons.push(
        `kubernetes.clusterLocatorMethods[${i}] configures cluster(s) ${names.join(
          ', ',
        )}`,
      );
    }
  }
  return reasons;
}

function awsReasons(config: Config, env: NodeJS.ProcessEnv): string[] {
  const reasons: string[] = [];
  if (config.has('aws.mainAccount'))
    reasons.push('aws.mainAccount is configured');
  if ((config.getOptionalConfigArray('aws.accounts') ?? []).length)
    reasons.push('aws.accounts is configured');
  if (config.has('aws.accountDefaults'))
    reasons.push('aws.accountDefaults is configured');
  const fromEnv = AWS_CREDENTIAL_ENV.filter(name => !!env[name]);
  if (fromEnv.length)
    reasons.push(`AWS credentials in the environment (${fromEnv.join(', ')})`);
  return reasons;
}

/**
 * Whether to start the sandbox for this configuration (the app-config files
 * `./run start` passes to the portal) and environment.
 */
export function sandboxDecision(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): SandboxDecision {
  const reasons: string[] = [];
  if (env[SANDBOX_SWITCH_ENV] === 'off')
    reasons.push(`${SANDBOX_SWITCH_ENV}=off`);
  reasons.push(...clusterReasons(config), ...awsReasons(config, env));
  return { start: reasons.length === 0, reasons };
}
