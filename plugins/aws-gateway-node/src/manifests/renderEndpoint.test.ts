import {
  CONTROLLER_PROFILES,
  EndpointSpec,
} from '@gateway-portal/plugin-aws-gateway-common';
import { classicEndpoint } from './__fixtures__/classicEndpoint';
import { parse } from 'yaml';
import { manifestToYaml, renderEndpointManifests } from './renderEndpoint';
import { validateManifests } from './validateManifests';

describe('renderEndpointManifests', () => {
  it('renders the classic example for LBC v3.5 with v1 routes', () => {
    const rendered = renderEndpointManifests(
      classicEndpoint,
      CONTROLLER_PROFILES['lbc-v3.5'],
    );
    expect(rendered.map(r => r.path)).toEqual([
      'loadbalancerconfiguration-aws-tcp-gateway.yaml',
      'targetgroupconfiguration-backend.yaml',
      'gateway-aws-tcp-gateway.yaml',
      'tcproute-tcp-backend-aws.yaml',
    ]);
    const [lbc, tgc, gateway, route] = rendered.map(r => r.manifest);
    expect(lbc).toMatchObject({
      apiVersion: 'gateway.k8s.aws/v1',
      kind: 'LoadBalancerConfiguration',
      metadata: { name: 'aws-tcp-gateway', namespace: 'default' },
      spec: { scheme: 'internet-facing', sourceRanges: ['203.0.113.0/24'] },
    });
    expect(tgc).toMatchObject({
      apiVersion: 'gateway.k8s.aws/v1',
      spec: {
        targetReference: { kind: 'Service', name: 'backend' },
        defaultConfiguration: { targetType: 'ip' },
      },
    });
    expect(gateway).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      spec: {
        gatewayClassName: 'aws-nlb',
        infrastructure: {
          parametersRef: {
            group: 'gateway.k8s.aws',
            kind: 'LoadBalancerConfiguration',
            name: 'aws-tcp-gateway',
          },
        },
        listeners: [{ name: 'tcp-app', protocol: 'TCP', port: 8080 }],
      },
    });
    expect(gateway.spec!.listeners[0].hostname).toBeUndefined();
    expect(route).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name: 'tcp-backend-aws' },
      spec: {
        parentRefs: [{ name: 'aws-tcp-gateway', sectionName: 'tcp-app' }],
        rules: [
          { backendRefs: [{ kind: 'Service', name: 'backend', port: 3000 }] },
        ],
      },
    });
    for (const m of [lbc, tgc, gateway, route]) {
      expect(m.metadata.labels).toEqual({
        'app.kubernetes.io/managed-by': 'backstage-aws-gateway',
        'backstage.io/kubernetes-id': 'backend',
      });
      expect(m.metadata.annotations).toEqual({
        'aws-gateway.io/entity-ref': 'component:default/backend',
      });
    }
  });

  it('renders v1alpha2 routes and v1beta1 controller CRDs for LBC v2.17', () => {
    const rendered = renderEndpointManifests(
      classicEndpoint,
      CONTROLLER_PROFILES['lbc-v2.17'],
    );
    const byKind = Object.fromEntries(
      rendered.map(r => [r.manifest.kind, r.manifest]),
    );
    expect(byKind.TCPRoute.apiVersion).toBe(
      'gateway.networking.k8s.io/v1alpha2',
    );
    expect(byKind.LoadBalancerConfiguration.apiVersion).toBe(
      'gateway.k8s.aws/v1beta1',
    );
    expect(byKind.TargetGroupConfiguration.apiVersion).toBe(
      'gateway.k8s.aws/v1beta1',
    );
    expect(byKind.Gateway.apiVersion).toBe('gateway.networking.k8s.io/v1');
  });

  it('renders TLS passthrough (TCP target groups), weights and health checks', () => {
    const spec: EndpointSpec = {
      ...classicEndpoint,
      listeners: [
        { name: 'tls', protocol: 'TLS', port: 443, hostname: 'db.example.com' },
        { name: 'dns', protocol: 'UDP', port: 53 },
      ],
      routes: [
        {
          name: 'tls',
          listener: 'tls',
          backends: [{ service: 'db', port: 5432 }],
        },
        {
          name: 'dns',
          listener: 'dns',
          backends: [
            { service: 'dns-blue', port: 53, weight: 90 },
            { service: 'dns-green', port: 53, weight: 10 },
          ],
        },
      ],
      healthCheck: {
        protocol: 'HTTP',
        port: '8080',
        path: '/healthz',
        matcher: '200-399',
        intervalSeconds: 10,
      },
      tags: { team: 'db' },
    };
    const manifests = renderEndpointManifests(
      spec,
      CONTROLLER_PROFILES['lbc-v3.2'],
    ).map(r => r.manifest);
    const gateway = manifests.find(m => m.kind === 'Gateway')!;
    expect(gateway.spec!.listeners[0]).toMatchObject({
      hostname: 'db.example.com',
      tls: { mode: 'Passthrough' },
    });
    expect(gateway.spec!.listeners[1].allowedRoutes.kinds).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'UDPRoute' },
    ]);
    const tls = manifests.find(m => m.kind === 'TLSRoute')!;
    expect(tls.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(tls.spec!.hostnames).toEqual(['db.example.com']);
    const udp = manifests.find(m => m.kind === 'UDPRoute')!;
    expect(udp.apiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    expect(udp.spec!.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([
      90, 10,
    ]);
    const tgcs = manifests.filter(m => m.kind === 'TargetGroupConfiguration');
    expect(tgcs.map(t => t.metadata.name)).toEqual([
      'db',
      'dns-blue',
      'dns-green',
    ]);
    // TLS passthrough: the NLB listener is TCP, so the target group must be TCP too (AWS refuses TCP → TLS).
    expect(tgcs[0].spec!.defaultConfiguration).toEqual({
      targetType: 'ip',
      protocol: 'TCP',
      healthCheckConfig: {
        healthCheckProtocol: 'HTTP',
        healthCheckPort: '8080',
        healthCheckPath: '/healthz',
        healthCheckInterval: 10,
        matcher: { httpCode: '200-399' },
      },
      tags: { team: 'db' },
    });
    expect(tgcs[1].spec!.defaultConfiguration.protocol).toBeUndefined();
    expect(
      validateManifests(manifests, {
        profile: CONTROLLER_PROFILES['lbc-v3.2'],
      }),
    ).toEqual([]);
  });

  it('writes YAML that parses back to the same object', () => {
    for (const { manifest } of renderEndpointManifests(
      classicEndpoint,
      CONTROLLER_PROFILES['lbc-v3.5'],
    )) {
      expect(parse(manifestToYaml(manifest))).toEqual(manifest);
    }
  });
});
