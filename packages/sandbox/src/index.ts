/**
 * The local sandbox behind `./run start` (README.md, "Sandbox").
 *
 * @packageDocumentation
 */
export { sandboxDecision, SANDBOX_SWITCH_ENV } from './decision';
export type { SandboxDecision } from './decision';
export { GitOpsSync, SYNC_FIELD_MANAGER } from './gitops/GitOpsSync';
export type { GitOpsSyncOptions, SyncStatus } from './gitops/GitOpsSync';
export { SYNCED_API_GROUPS } from './gitops/syncPlan';
export { prepareSandboxCrds, SANDBOX_PROFILE } from './crds/goModuleCrds';
export { sampleWorkload, SAMPLE_SERVICE } from './workload';
export { startSandbox, SANDBOX_CLUSTER, GITOPS_REPOSITORY } from './sandbox';
export type { RunningSandbox } from './sandbox';
