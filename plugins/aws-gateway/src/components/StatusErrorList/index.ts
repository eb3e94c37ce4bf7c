export { StatusErrorList, describeStatusErrorSource } from './StatusErrorList';
export type { StatusErrorListProps } from './StatusErrorList';
