export { CopyableDnsName } from './CopyableDnsName';
export type { CopyableDnsNameProps } from './CopyableDnsName';
