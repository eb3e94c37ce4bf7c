export { ClusterPicker, clusterLabel } from './ClusterPicker';
