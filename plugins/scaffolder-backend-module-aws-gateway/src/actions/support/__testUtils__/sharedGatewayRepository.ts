/**
 * The platform's shared Gateway as the action tests see it: its configuration,
 * its manifest with the listener the shared-listener action added for team-a's
 * route `orders`, that route's file, and an in-memory repository answering
 * `readFiles` by folder (it can do nothing else).
 */
import { ConfigReader } from '@backstage/config';
import {
  CONTROLLER_PROFILES,
  sharedListenerTargetPath,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  GitOpsDirectory,
  GitOpsFile,
  manifestToYaml,
  planSharedListener,
  readGatewayGuardrails,
  readSharedGateways,
  SharedListenerRequest,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import yaml from 'yaml';
import type { SharedGatewayActionDeps } from '../../endpoint/editSharedListener';
import { gitopsTestSettings } from './gitopsTestSettings';
import { ownershipNotEnforced } from './testContext';

/** The tests' configuration: the shared NLB of cluster prod, its manifest in `repoUrl`. */
export function sharedGatewayConfig(
  repoUrl = 'https://git.example.com/platform/gitops.git',
) {
  return new ConfigReader({
    awsGateway: {
      provisioning: {
        allowedClusters: ['prod'],
        gateways: { allowedNamespaces: ['team-a', 'team-a-dns'] },
        sharedGateways: [
          {
            cluster: 'prod',
            namespace: 'platform-gateways',
            name: 'shared-nlb',
            gitops: { repoUrl, path: 'platform/shared-nlb.yaml' },
            listenerPorts: ['20000-20099'],
            protocols: ['TCP', 'UDP', 'TLS'],
            tlsHostnames: ['*.apps.example.com'],
            allowedRoutes: { from: 'All' },
          },
        ],
      },
    },
  });
}
const SHARED_GATEWAY_CONFIG = sharedGatewayConfig();
export const [SHARED_GATEWAY] = readSharedGateways(SHARED_GATEWAY_CONFIG);
export const sharedGatewayGuardrails = readGatewayGuardrails(
  SHARED_GATEWAY_CONFIG,
);

/** team-a's listener `orders` as the examples name it. */
export const ORDERS: SharedListenerRequest = {
  sharedGateway: SHARED_GATEWAY.id,
  namespace: 'team-a',
  listenerName: 'team-a-orders',
  listenerPort: 20001,
  protocol: 'TCP',
  routeName: 'orders',
  backend: { service: 'orders', port: 5432 },
  entityRef: 'component:default/orders',
};

const PLATFORM_YAML = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared-nlb
  namespace: platform-gateways
spec:
  gatewayClassName: aws-nlb
  listeners:
    - name: platform-dns
      protocol: UDP
      port: 20000
`;

/** The manifest and route files after the shared-listener action added `request`. */
export function sharedGatewayWithListener(
  request: SharedListenerRequest = ORDERS,
): GitOpsFile[] {
  const plan = planSharedListener({
    shared: SHARED_GATEWAY,
    request,
    repoGatewayYaml: PLATFORM_YAML,
    liveGateway: yaml.parse(PLATFORM_YAML),
    profile: CONTROLLER_PROFILES['lbc-v3.5'],
  });
  const dir = sharedListenerTargetPath(request.namespace, request.routeName);
  return [
    plan.gatewayFile,
    ...plan.manifests.map(m => ({
      path: `${dir}/${m.path}`,
      content: manifestToYaml(m.manifest),
    })),
  ];
}

/** A repository holding `files`, answering each folder with the files directly in it. */
export function repositoryOfFiles(files: GitOpsFile[]) {
  const readFiles = jest.fn(
    async (
      _repoUrl: unknown,
      options: { directory: string },
    ): Promise<GitOpsDirectory> => ({
      files: files.filter(
        f =>
          f.path.slice(0, f.path.lastIndexOf('/')) ===
          options.directory.replace(/\/+$/, ''),
      ),
      branch: 'main',
      commitSha: 'c'.repeat(40),
    }),
  );
  const refuse = (name: string) => async (): Promise<never> => {
    throw new Error(`${name} must not be called`);
  };
  return {
    repository: {
      readFiles,
      reviewBranchReader: jest.fn(() => ({
        read: refuse('reviewBranchReader'),
      })),
      commitFiles: jest.fn(refuse('commitFiles')),
      pullRequestOpener: jest.fn(refuse('pullRequestOpener')),
      describeRemote: jest.fn(refuse('describeRemote')),
    } as unknown as SharedGatewayActionDeps['repository'],
    readFiles,
  };
}

/**
 * What the module gives the shared-gateway actions, over `repository` and
 * with no cluster: every refusal tested with it comes before a cluster is asked.
 */
export function clusterlessSharedGatewayDeps(
  repository: SharedGatewayActionDeps['repository'],
): SharedGatewayActionDeps {
  return {
    sharedGateways: [SHARED_GATEWAY],
    repository,
    settings: gitopsTestSettings,
    guardrails: sharedGatewayGuardrails,
    clusters: new InMemoryKubernetesClusters(),
    ownership: ownershipNotEnforced(),
  };
}
