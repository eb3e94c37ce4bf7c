import {
  readGatewayGuardrails,
  readSharedGateways,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import yaml from 'yaml';
import { gitopsTestSettings } from '../support/__testUtils__/gitopsTestSettings';
import { sharedGatewayConfig } from '../support/__testUtils__/sharedGatewayRepository';
import { testActionContext } from '../support/__testUtils__/testContext';
import { InitiatorOwnership } from '../support/initiatorOwnership';
import { createSharedListenerAction } from './sharedListener';
import { examples } from './sharedListener.examples';

/** Every example names the same shared Gateway; the happy path runs against the peers (shared-gateways.test.ts). */
const EXAMPLE_INPUTS = examples.map(e => yaml.parse(e.example).steps[0].input);

function setup(shared: { repoUrl?: string } = {}) {
  const config = sharedGatewayConfig(shared.repoUrl);
  const calls: string[] = [];
  const record = (name: string) => async (): Promise<never> => {
    calls.push(name);
    throw new Error(`${name} must not be called`);
  };
  const action = createSharedListenerAction({
    sharedGateways: readSharedGateways(config),
    repository: {
      readFiles: record('readFiles'),
      reviewBranchReader: () => ({ read: record('reviewBranchReader') }),
      commitFiles: record('commitFiles'),
      pullRequestOpener: record('pullRequestOpener'),
      describeRemote: record('describeRemote'),
    },
    settings: gitopsTestSettings,
    guardrails: readGatewayGuardrails(config),
    // A registry that must never be asked: every refusal here comes first.
    clusters: new InMemoryKubernetesClusters(),
    ownership: InitiatorOwnership.fromConfig(config, {
      userInfo: { getUserInfo: record('getUserInfo') },
      catalog: { getEntityByRef: record('getEntityByRef') },
    }),
  });
  return { action, calls };
}

describe('aws-gateway:endpoint:shared-listener', () => {
  it('has examples for the configured shared Gateway', () => {
    expect(EXAMPLE_INPUTS.map(i => i.sharedGateway)).toEqual([
      'prod/platform-gateways/shared-nlb',
      'prod/platform-gateways/shared-nlb',
      'prod/platform-gateways/shared-nlb',
    ]);
  });

  it.each([
    [
      'a Gateway that is not configured',
      { sharedGateway: 'prod/kube-system/internal-nlb' },
      /sharedGateway: "prod\/kube-system\/internal-nlb" is not a shared Gateway .*\[shared-gateway-not-configured\]/,
    ],
    [
      'a namespace outside the guardrails',
      { namespace: 'kube-system' },
      /namespace: endpoints may not go to namespace kube-system.*\[namespace-not-allowed\]/,
    ],
    [
      'a backend namespace outside the guardrails',
      { serviceNamespace: 'payments' },
      /serviceNamespace: endpoints may not go to namespace payments.*\[namespace-not-allowed\]/,
    ],
    [
      'a TLS listener without a host name',
      { ...EXAMPLE_INPUTS[2], hostname: '' },
      /hostname: the host name is required for TLS listeners.*\[tls-hostname-required\]/,
    ],
    [
      'a TLS host name with a wildcard inside',
      { ...EXAMPLE_INPUTS[2], hostname: 'db.*.apps.example.com' },
      /hostname: the host name "db\.\*\.apps\.example\.com" must be a lower-case DNS name.*\[tls-hostname\]/,
    ],
    [
      'a TLS host name the platform does not list',
      { ...EXAMPLE_INPUTS[2], hostname: 'login.bank.example' },
      /hostname: login\.bank\.example is not among the host names TLS listeners may use .* \(\*\.apps\.example\.com\) \[shared-tls-hostname\]/,
    ],
    [
      'a host name on a TCP listener',
      { hostname: 'db.team-a.apps.example.com' },
      /hostname: the host name: TCP listeners must not set a hostname.*\[listener-hostname-l4\]/,
    ],
  ])('refuses %s before any read or write', async (_what, change, message) => {
    const { action, calls } = setup();
    await expect(
      action.handler(
        testActionContext({
          protocol: 'TCP',
          mode: 'pull-request',
          ...EXAMPLE_INPUTS[0],
          ...change,
        }),
      ),
    ).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it('refuses a shared Gateway whose repository the GitOps allow-list does not allow', async () => {
    const { action, calls } = setup({
      repoUrl: 'https://git.example.com/other/gitops.git',
    });
    await expect(
      action.handler(
        testActionContext({
          protocol: 'TCP',
          mode: 'pull-request',
          ...EXAMPLE_INPUTS[0],
        }),
      ),
    ).rejects.toThrow(/repoUrl/);
    expect(calls).toEqual([]);
  });
});
