import {
  KubernetesValidatorFunctions,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  clusterObjects,
  NLB_ARN,
  nlbGateway,
} from '../__testUtils__/clusterObjects';
import { gatewayFactsOf } from './gatewayFacts';
import { gatewayResourceEntity, gatewayResourceName } from './gatewayResource';

const LOCATION = 'aws-gateway:aws-gateway-entity-provider';

describe('gatewayResourceName', () => {
  it('is deterministic, readable and within the catalog’s name rules', () => {
    const name = gatewayResourceName('prod-eu', 'shop', 'web');
    expect(name).toMatch(/^prod-eu-shop-web-[0-9a-f]{10}$/);
    expect(gatewayResourceName('prod-eu', 'shop', 'web')).toBe(name);
  });

  it('keeps Gateways apart whose readable parts collide', () => {
    const long = 'a'.repeat(60);
    const names = [
      gatewayResourceName('prod', 'shop-web', 'x'),
      gatewayResourceName('prod-shop', 'web', 'x'),
      gatewayResourceName('Prod', 'shop', 'web-x'),
      gatewayResourceName('prod', long, `${long}-1`),
      gatewayResourceName('prod', long, `${long}-2`),
      gatewayResourceName('日本', 'shop', 'web'),
      gatewayResourceName('中国', 'shop', 'web'),
      gatewayResourceName('---', 'a', 'b'),
      gatewayResourceName('', '', ''),
    ];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
    }
  });
});

describe('gatewayResourceEntity', () => {
  const [facts] = gatewayFactsOf('prod', clusterObjects([nlbGateway()]), {
    region: 'eu-west-1',
  });

  it('is a valid Resource owned like its component and depending on it', async () => {
    const entity = gatewayResourceEntity(
      facts,
      {
        linked: true,
        componentRef: 'component:default/web',
        owner: 'group:default/team-a',
        system: 'system:default/shop',
      },
      LOCATION,
    );
    await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
    expect(entity.spec).toEqual({
      type: 'aws-nlb-endpoint',
      owner: 'group:default/team-a',
      dependencyOf: ['component:default/web'],
      system: 'system:default/shop',
    });
    expect(entity.metadata.annotations).toMatchObject({
      'aws-gateway.io/cluster': 'prod',
      'aws-gateway.io/gateway-namespace': 'shop',
      'aws-gateway.io/gateway-name': 'web',
      'aws-gateway.io/dns-name':
        'k8s-shop-web-0123456789.elb.eu-west-1.amazonaws.com',
      'aws-gateway.io/scheme': 'internet-facing',
      'aws-gateway.io/listeners': 'TCP:8080',
      'aws-gateway.io/source-ranges': '203.0.113.0/24',
      'aws-gateway.io/state': 'programmed',
      'aws-gateway.io/open-to-world': 'false',
      'backstage.io/managed-by-location': LOCATION,
    });
    const consoleUrl = new URL(
      entity.metadata.annotations!['aws-gateway.io/console-url'],
    );
    expect(consoleUrl.origin).toBe('https://eu-west-1.console.aws.amazon.com');
    expect(decodeURIComponent(consoleUrl.hash)).toContain(NLB_ARN);
    expect(entity.metadata.links).toEqual([
      { url: consoleUrl.toString(), title: 'AWS console' },
    ]);
  });

  it('names no component when the Gateway may not claim one', () => {
    const entity = gatewayResourceEntity(
      facts,
      { linked: false, owner: 'group:default/platform', reason: 'not-linked' },
      LOCATION,
    );
    expect(entity.spec).toEqual({
      type: 'aws-nlb-endpoint',
      owner: 'group:default/platform',
    });
    expect(entity.metadata.annotations?.['aws-gateway.io/owner-fallback']).toBe(
      'not-linked',
    );
  });
});
