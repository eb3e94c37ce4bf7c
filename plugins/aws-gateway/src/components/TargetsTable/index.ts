export { TargetsTable } from './TargetsTable';
export type { TargetsTableProps } from './TargetsTable';
