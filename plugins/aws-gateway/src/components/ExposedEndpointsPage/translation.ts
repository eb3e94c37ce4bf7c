import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The texts of the "Exposed endpoints" page. Apps override or translate them
 * with `createTranslationMessages`.
 *
 * @alpha
 */
export const exposedEndpointsTranslationRef = createTranslationRef({
  id: 'aws-gateway-exposed-endpoints',
  messages: {
    title: 'Exposed endpoints',
    subtitle:
      'Every Network Load Balancer of the AWS Load Balancer Controller across clusters, internet-facing first. From the catalog, refreshed every few minutes; open a component for live target health.',
    loading: 'Loading endpoints',
    loadFailed: 'Could not load the endpoints from the catalog',
    none: 'No endpoints yet. Gateways appear here once the catalog module has read the clusters.',
    noneMatching: 'No endpoint matches these filters.',
    count: '{{shown}} of {{total}} endpoints',
    filters: {
      cluster: 'Cluster',
      scheme: 'Scheme',
      owner: 'Owner',
      all: 'All',
    },
    scheme: {
      'internet-facing': 'Internet-facing',
      internal: 'Internal',
      openToWorld: 'Open to the world',
    },
    columns: {
      endpoint: 'Endpoint',
      cluster: 'Cluster',
      scheme: 'Scheme',
      sourceRanges: 'Source CIDRs',
      ports: 'Ports',
      owner: 'Owner',
      health: 'Health',
      links: 'Links',
    },
    anySource: 'Any (0.0.0.0/0, ::/0)',
    noDnsName: 'No DNS name yet',
    unclaimed: 'No component',
    awsConsole: 'AWS console',
    awsConsoleLabel: 'Open {{name}} in the AWS console',
  },
});
