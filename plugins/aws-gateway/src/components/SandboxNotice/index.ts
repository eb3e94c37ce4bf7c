export { SandboxNotice, SANDBOX_CONFIG_KEY } from './SandboxNotice';
