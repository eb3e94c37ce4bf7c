export { NamespacePicker } from './NamespacePicker';
