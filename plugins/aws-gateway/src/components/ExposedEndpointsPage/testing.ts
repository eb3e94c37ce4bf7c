import { Entity } from '@backstage/catalog-model';

/** A Resource as the catalog module publishes it and the catalog returns it (with relations). */
export function gatewayResource(options: {
  name: string;
  cluster?: string;
  scheme?: string;
  openToWorld?: boolean;
  owner?: string;
  component?: string;
  state?: string;
  consoleUrl?: string;
}): Entity {
  const cluster = options.cluster ?? 'prod';
  const owner = options.owner ?? 'group:default/team-a';
  const component = options.component ?? `component:default/${options.name}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${cluster}-shop-${options.name}-0123456789`,
      namespace: 'default',
      title: `shop/${options.name} (${cluster})`,
      annotations: {
        'aws-gateway.io/cluster': cluster,
        'aws-gateway.io/gateway-namespace': 'shop',
        'aws-gateway.io/gateway-name': options.name,
        'aws-gateway.io/dns-name': `${options.name}.elb.eu-west-1.amazonaws.com`,
        'aws-gateway.io/scheme': options.scheme ?? 'internet-facing',
        'aws-gateway.io/listeners': 'TCP:8080',
        'aws-gateway.io/source-ranges': options.openToWorld
          ? ''
          : '203.0.113.0/24',
        'aws-gateway.io/open-to-world': String(options.openToWorld ?? false),
        'aws-gateway.io/state': options.state ?? 'programmed',
        'aws-gateway.io/console-url':
          options.consoleUrl ??
          'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#LoadBalancer:loadBalancerArn=arn',
      },
    },
    spec: { type: 'aws-nlb-endpoint', owner, dependencyOf: [component] },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'dependencyOf', targetRef: component },
    ],
  };
}
