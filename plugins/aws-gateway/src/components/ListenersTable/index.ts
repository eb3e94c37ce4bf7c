export { ListenersTable } from './ListenersTable';
export type { ListenersTableProps } from './ListenersTable';
