import { ConfigReader } from '@backstage/config';
import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import yaml from 'yaml';
import {
  SHARED_GATEWAY_ENTRY,
  SHARED_GATEWAY_YAML,
} from './__fixtures__/sharedGateway';
import { readSharedGateways } from './sharedGatewayConfig';
import { planSharedListener, SharedListenerRequest } from './sharedListener';
import { planSharedListenerEdit } from './sharedListenerEdit';

const [SHARED] = readSharedGateways(
  new ConfigReader({
    awsGateway: {
      provisioning: {
        sharedGateways: [
          { ...SHARED_GATEWAY_ENTRY, allowedRoutes: { from: 'All' } },
        ],
      },
    },
  }),
);
const PLATFORM_YAML = SHARED_GATEWAY_YAML;

const CURRENT: SharedListenerRequest = {
  sharedGateway: SHARED.id,
  namespace: 'team-a',
  listenerName: 'team-a-db',
  listenerPort: 20001,
  protocol: 'TCP',
  routeName: 'db',
  backend: { service: 'postgres', port: 5432 },
  entityRef: 'component:default/db',
};
const PROFILE = CONTROLLER_PROFILES['lbc-v3.5'];

/** The manifest with the portal's listener, as the shared-listener action wrote it, plus another team's after it. */
const WITH_OURS = (() => {
  const added = planSharedListener({
    shared: SHARED,
    request: CURRENT,
    repoGatewayYaml: PLATFORM_YAML,
    liveGateway: yaml.parse(PLATFORM_YAML),
    profile: PROFILE,
  }).gatewayFile.content;
  return `${added}    - name: team-b-mq # team b's
      protocol: TCP
      port: 20005
`;
})();

function edit(
  overrides: Partial<Parameters<typeof planSharedListenerEdit>[0]> = {},
) {
  return planSharedListenerEdit({
    shared: SHARED,
    current: CURRENT,
    repoGatewayYaml: WITH_OURS,
    liveGateway: yaml.parse(WITH_OURS),
    profile: PROFILE,
    ...overrides,
  });
}

const listenersOf = (content: string) =>
  yaml.parse(content).spec.listeners.map((l: any) => `${l.name}:${l.port}`);

describe('planSharedListenerEdit', () => {
  it('changes the port of exactly our listener, keeping the others and the comments', () => {
    const plan = edit({ next: { ...CURRENT, listenerPort: 20002 } });
    expect(plan.gatewayChanged).toBe(true);
    expect(listenersOf(plan.gatewayFile.content)).toEqual([
      'platform-dns:20000',
      'team-a-db:20002',
      'team-b-mq:20005',
    ]);
    expect(plan.gatewayFile.content).toContain(
      "# The platform's own listener.",
    );
    expect(plan.gatewayFile.content).toContain("# team b's");
    expect(plan.gatewayDiff).toContain('-      port: 20001');
    expect(plan.gatewayDiff).toContain('+      port: 20002');
    expect(plan.manifests.map(m => m.path)).toEqual(['tcproute-db.yaml']);
  });

  it('changes the protocol: the listener admits UDPRoutes and the route becomes a UDPRoute', () => {
    const plan = edit({ next: { ...CURRENT, protocol: 'UDP' } });
    const ours = yaml
      .parse(plan.gatewayFile.content)
      .spec.listeners.find((l: any) => l.name === 'team-a-db');
    expect(ours).toMatchObject({
      protocol: 'UDP',
      allowedRoutes: { kinds: [{ kind: 'UDPRoute' }] },
    });
    expect(plan.manifests.map(m => m.path)).toEqual(['udproute-db.yaml']);
  });

  it('changes only the route when only the backend changes', () => {
    const plan = edit({
      next: { ...CURRENT, backend: { service: 'pg-v2', port: 5432 } },
    });
    expect(plan.gatewayChanged).toBe(false);
    expect(plan.gatewayDiff).not.toMatch(/^[+-] /m);
    expect(plan.manifests[0].manifest.spec?.rules[0].backendRefs[0].name).toBe(
      'pg-v2',
    );
  });

  it('removes exactly our listener and renders no route', () => {
    const plan = edit();
    expect(listenersOf(plan.gatewayFile.content)).toEqual([
      'platform-dns:20000',
      'team-b-mq:20005',
    ]);
    expect(plan.gatewayFile.content).toContain("# team b's");
    expect(plan.manifests).toEqual([]);
  });

  it('a removal on the review branch that added the listener writes back the manifest where the branch left the base, byte for byte', () => {
    // The platform's own formatting, which the YAML writer does not keep (spacing).
    const platform = PLATFORM_YAML.replace(
      'gatewayClassName: aws-nlb',
      'gatewayClassName:    aws-nlb',
    );
    const added = planSharedListener({
      shared: SHARED,
      request: CURRENT,
      repoGatewayYaml: platform,
      liveGateway: yaml.parse(platform),
      profile: PROFILE,
    }).gatewayFile.content;
    const plain = edit({
      repoGatewayYaml: added,
      liveGateway: yaml.parse(platform),
    });
    expect(plain.gatewayFile.content).not.toBe(platform);
    const restored = edit({
      repoGatewayYaml: added,
      liveGateway: yaml.parse(platform),
      reviewBaseGatewayYaml: platform,
    });
    expect(restored.gatewayFile.content).toBe(platform);
    // Anything else changed on the branch since: nothing is restored.
    const other = `${added}    - name: team-c-web\n      protocol: TCP\n      port: 20007\n`;
    expect(
      edit({
        repoGatewayYaml: other,
        liveGateway: yaml.parse(platform),
        reviewBaseGatewayYaml: platform,
      }).gatewayFile.content,
    ).toContain('team-c-web');
    // A hostile base restores nothing and refuses nothing.
    expect(
      edit({
        repoGatewayYaml: added,
        liveGateway: yaml.parse(platform),
        reviewBaseGatewayYaml: 'a: &x 1\nb: *x\n',
      }).gatewayFile.content,
    ).toBe(plain.gatewayFile.content);
  });

  it.each<
    [string, Partial<Parameters<typeof planSharedListenerEdit>[0]>, RegExp]
  >([
    [
      'a port another listener holds in the manifest',
      { next: { ...CURRENT, listenerPort: 20005 } },
      /listenerPort: port 20005 is taken on shared Gateway .* \(listener team-b-mq\) \[shared-port-taken\]/,
    ],
    [
      'a port another listener holds live only',
      {
        next: { ...CURRENT, listenerPort: 20007 },
        liveGateway: yaml.parse(
          WITH_OURS.replace('port: 20005', 'port: 20007'),
        ),
      },
      /listener team-b-mq \(TCP 20007\) is different in .*\[shared-gateway-drift\][\s\S]*port 20007 is taken/,
    ],
    [
      'a port outside the range',
      { next: { ...CURRENT, listenerPort: 443 } },
      /listenerPort: 443 is not among the ports .*\[shared-port-range\]/,
    ],
    [
      'a renamed listener',
      { next: { ...CURRENT, listenerName: 'other' } },
      /listenerName: the listener team-a-db keeps its name .*\[shared-listener-rename\]/,
    ],
    [
      'a listener edited by hand (its port no longer the one the portal wrote is fine, its kinds are not)',
      {
        repoGatewayYaml: WITH_OURS.replace('kind: TCPRoute', 'kind: UDPRoute'),
        next: { ...CURRENT, listenerPort: 20002 },
      },
      /the listener team-a-db in platform\/gateways\/shared-nlb.yaml .* is not what the portal wrote for route team-a\/db \(edited by hand since\).*\[endpoint-hand-edited\]/,
    ],
    [
      'a listener whose port was edited by hand',
      {
        repoGatewayYaml: WITH_OURS.replace('port: 20001', 'port: 20003'),
        liveGateway: yaml.parse(
          WITH_OURS.replace('port: 20001', 'port: 20003'),
        ),
      },
      /the listener team-a-db .* is not what the portal wrote for route team-a\/db \(edited by hand since\).*\[endpoint-hand-edited\]/,
    ],
    [
      'a listener removed by hand',
      {
        repoGatewayYaml: PLATFORM_YAML,
        liveGateway: yaml.parse(PLATFORM_YAML),
      },
      /the listener team-a-db of route team-a\/db is not in .* \(removed or renamed by hand\).*\[endpoint-hand-edited\]/,
    ],
    [
      'a removal while the live Gateway has a listener the manifest lacks',
      {
        liveGateway: yaml.parse(`${WITH_OURS}    - name: hotfix
      protocol: TCP
      port: 30000
`),
      },
      /cannot be removed:\n- sharedGateway: the live listener hotfix \(TCP 30000\) is missing .*\[shared-gateway-drift\]/,
    ],
  ])('refuses %s, naming the field and the rule', (_what, change, message) => {
    expect(() => edit(change)).toThrow(message);
  });

  it("names the caller's fields when given (the change action's), the others as the request's", () => {
    const fieldNames = {
      listenerPort: 'change.listeners[0].port',
      protocol: 'change.listeners[0].protocol',
      hostname: 'change.listeners[0].hostname',
    };
    // This shared Gateway offers TCP and UDP: TLS, its host name and the port are refused together.
    expect(() =>
      edit({
        next: {
          ...CURRENT,
          listenerPort: 20005,
          protocol: 'TLS',
          hostname: 'db.example.com',
        },
        fieldNames,
      }),
    ).toThrow(
      /cannot be changed:\n- change\.listeners\[0\]\.protocol: TLS is not offered .*\[shared-protocol\]\n- change\.listeners\[0\]\.hostname: db\.example\.com is not among the host names .*\[shared-tls-hostname\]\n- change\.listeners\[0\]\.port: port 20005 is taken .*\[shared-port-taken\]$/,
    );
    expect(() =>
      edit({
        liveGateway: yaml.parse(`${WITH_OURS}    - name: hotfix
      protocol: TCP
      port: 30000
`),
        fieldNames,
      }),
    ).toThrow(/cannot be removed:\n- sharedGateway: the live listener hotfix/);
  });
});
