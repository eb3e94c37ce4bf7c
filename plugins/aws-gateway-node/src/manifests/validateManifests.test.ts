import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import { classicEndpoint } from './__fixtures__/classicEndpoint';
import { renderControllerManifests } from './renderController';
import { renderEndpointManifests } from './renderEndpoint';
import { KubernetesManifest } from './types';
import { validateManifests } from './validateManifests';

const v35 = CONTROLLER_PROFILES['lbc-v3.5'];
const v217 = CONTROLLER_PROFILES['lbc-v2.17'];

function rendered(profile = v35): Record<string, KubernetesManifest> {
  return Object.fromEntries(
    renderEndpointManifests(classicEndpoint, profile).map(r => [
      r.manifest.kind,
      r.manifest,
    ]),
  );
}

function rules(manifests: KubernetesManifest[], profile = v35, services?: any) {
  return validateManifests(manifests, { profile, services }).map(
    i => `${i.field} ${i.rule}`,
  );
}

describe('validateManifests', () => {
  it('accepts what the renderer produces, in every profile', () => {
    for (const profile of Object.values(CONTROLLER_PROFILES)) {
      expect(rules(Object.values(rendered(profile)), profile)).toEqual([]);
    }
  });

  describe('TLS passthrough behind a TLS target group (AWS: IncompatibleProtocols)', () => {
    const tlsSpec = {
      ...classicEndpoint,
      listeners: [
        {
          name: 'tls',
          protocol: 'TLS' as const,
          port: 8443,
          hostname: 'db.example.com',
        },
      ],
      routes: [
        {
          name: 'db',
          listener: 'tls',
          backends: [{ service: 'db', port: 5432 }],
        },
      ],
    };
    const tls = () =>
      renderEndpointManifests(tlsSpec, v35).map(r => r.manifest);
    const withoutProtocol = (m: KubernetesManifest): KubernetesManifest =>
      m.kind === 'TargetGroupConfiguration'
        ? {
            ...m,
            spec: { ...m.spec, defaultConfiguration: { targetType: 'ip' } },
          }
        : m;

    it('accepts the rendered manifests (protocol TCP)', () => {
      expect(rules(tls())).toEqual([]);
    });

    it('refuses a hand-written TargetGroupConfiguration without protocol TCP', () => {
      const issues = validateManifests(tls().map(withoutProtocol), {
        profile: v35,
      });
      expect(issues.map(i => `${i.field} ${i.rule}`)).toEqual([
        'TargetGroupConfiguration/db: spec.defaultConfiguration.protocol tls-passthrough-target-group-protocol',
      ]);
      expect(issues[0].message).toContain('IncompatibleProtocols');
    });

    it('refuses protocol TLS in a route configuration, and a missing TargetGroupConfiguration', () => {
      const manifests = tls().map(m =>
        m.kind === 'TargetGroupConfiguration'
          ? {
              ...m,
              spec: {
                ...m.spec,
                routeConfigurations: [
                  {
                    routeIdentifier: {
                      kind: 'TLSRoute',
                      name: 'db',
                      namespace: 'default',
                    },
                    targetGroupProps: { protocol: 'TLS' },
                  },
                ],
              },
            }
          : m,
      );
      expect(rules(manifests)).toEqual([
        'TargetGroupConfiguration/db: spec.routeConfigurations[0].targetGroupProps.protocol tls-passthrough-target-group-protocol',
      ]);
      expect(
        rules(tls().filter(m => m.kind !== 'TargetGroupConfiguration')),
      ).toEqual([
        'TLSRoute/db: spec.rules[0].backendRefs[0] tls-passthrough-target-group-protocol',
      ]);
    });

    it('leaves TLS routes of Terminate listeners alone', () => {
      const manifests = tls()
        .map(withoutProtocol)
        .map(m =>
          m.kind === 'Gateway'
            ? {
                ...m,
                spec: {
                  ...m.spec,
                  listeners: [
                    {
                      ...m.spec!.listeners[0],
                      tls: {
                        mode: 'Terminate',
                        certificateRefs: [{ name: 'c' }],
                      },
                    },
                  ],
                },
              }
            : m,
        );
      expect(rules(manifests)).toEqual([]);
    });
  });

  it('catches the tutorial mistake: a v1 TCPRoute for LBC v2.17 with Gateway API v1.3', () => {
    const route = {
      ...rendered(v217).TCPRoute,
      apiVersion: 'gateway.networking.k8s.io/v1',
    };
    const issues = validateManifests([route], { profile: v217 });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      field: 'TCPRoute/tcp-backend-aws: apiVersion',
      rule: 'route-api-version',
    });
    expect(issues[0].message).toContain(
      'must be gateway.networking.k8s.io/v1alpha2',
    );
  });

  it('catches v1 controller CRDs for an older controller', () => {
    expect(rules([rendered(v35).LoadBalancerConfiguration], v217)).toEqual([
      'LoadBalancerConfiguration/aws-tcp-gateway: apiVersion lbc-api-version',
    ]);
    // v3.5 still serves the deprecated v1beta1.
    expect(rules([rendered(v217).LoadBalancerConfiguration], v35)).toEqual([]);
  });

  it('catches a hostname on a TCP listener and a TLS listener without mode', () => {
    const gateway = structuredClone(rendered().Gateway);
    gateway.spec!.listeners[0].hostname = 'app.example.com';
    gateway.spec!.listeners.push({ name: 'tls', protocol: 'TLS', port: 443 });
    gateway.spec!.listeners.push({
      name: 'tls2',
      protocol: 'TLS',
      port: 8443,
      tls: { mode: 'Terminate' },
    });
    expect(rules([gateway])).toEqual([
      'Gateway/aws-tcp-gateway: spec.listeners[0].hostname listener-hostname-l4',
      'Gateway/aws-tcp-gateway: spec.listeners[1].tls.mode tls-mode-required',
      'Gateway/aws-tcp-gateway: spec.listeners[2].tls.certificateRefs tls-terminate-certificate-refs',
    ]);
  });

  it('catches a Gateway parametersRef to anything but a LoadBalancerConfiguration', () => {
    const gateway = structuredClone(rendered().Gateway);
    gateway.spec!.infrastructure.parametersRef.kind = 'ConfigMap';
    expect(rules([gateway])).toEqual([
      'Gateway/aws-tcp-gateway: spec.infrastructure.parametersRef gateway-parameters-ref',
    ]);
  });

  it('catches a GatewayClass parametersRef without namespace', () => {
    const [, gatewayClass] = renderControllerManifests(
      {
        clusterName: 'prod',
        region: 'eu-west-1',
        serviceAccount: {
          namespace: 'kube-system',
          name: 'aws-load-balancer-controller',
        },
        gatewayClassName: 'aws-nlb',
        defaults: {
          name: 'default',
          namespace: 'kube-system',
          scheme: 'internal',
          sourceCidrs: [],
        },
      },
      v35,
    ).map(r => r.manifest);
    expect(rules([gatewayClass])).toEqual([]);
    delete gatewayClass.spec!.parametersRef.namespace;
    expect(rules([gatewayClass])).toEqual([
      'GatewayClass/aws-nlb: spec.parametersRef.namespace gatewayclass-parameters-ref-namespace',
    ]);
  });

  it('catches v1 route rule and hostname limits', () => {
    const route = structuredClone(rendered().TCPRoute);
    route.spec!.rules.push({ backendRefs: [] });
    const tls = { ...structuredClone(rendered().TCPRoute), kind: 'TLSRoute' };
    expect(rules([route, tls])).toEqual([
      'TCPRoute/tcp-backend-aws: spec.rules route-rules',
      'TCPRoute/tcp-backend-aws: spec.rules[1].backendRefs route-backend-count',
      'TLSRoute/tcp-backend-aws: spec.hostnames tlsroute-hostnames',
    ]);
  });

  it('catches a lower-case health-check protocol and a missing targetReference on v2.17', () => {
    const tgc = structuredClone(rendered(v217).TargetGroupConfiguration);
    tgc.spec!.defaultConfiguration.healthCheckConfig = {
      healthCheckProtocol: 'http',
    };
    delete tgc.spec!.targetReference;
    const found = validateManifests([tgc], { profile: v217 });
    expect(found.map(i => `${i.field} ${i.rule}`)).toEqual([
      'TargetGroupConfiguration/backend: spec.targetReference tgc-target-reference',
      'TargetGroupConfiguration/backend: spec.defaultConfiguration.healthCheckConfig.healthCheckProtocol health-check-protocol-case',
    ]);
    expect(found[1].message).toContain('must be upper case: "HTTP"');
  });

  it('catches instance targets (the default) for a ClusterIP Service', () => {
    const tgc = structuredClone(rendered().TargetGroupConfiguration);
    delete tgc.spec!.defaultConfiguration.targetType;
    const services = new Map([
      [
        'default/backend',
        {
          namespace: 'default',
          name: 'backend',
          type: 'ClusterIP',
          ports: [3000],
        },
      ],
    ]);
    expect(rules([tgc], v35, services)).toEqual([
      'TargetGroupConfiguration/backend: spec.defaultConfiguration.targetType instance-target-clusterip',
    ]);
    services.set('default/backend', {
      namespace: 'default',
      name: 'backend',
      type: 'NodePort',
      ports: [3000],
    });
    expect(rules([tgc], v35, services)).toEqual([]);
  });
});
