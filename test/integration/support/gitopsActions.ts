/**
 * The GitOps commit action as the backend builds it, wired to the git peer:
 * a gitea integration with the peer's credentials, an allow-list, the
 * guardrails, and a workspace holding what the real render actions wrote.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  GitOpsRepository,
  readGatewayGuardrails,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import {
  AwsGuardrails,
  createGitOpsCommitAction,
  createRenderControllerAction,
  createRenderEndpointAction,
  readGitOpsSettings,
} from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';
import { gitPeer } from '../../peers';
import { runAction } from './actionRun';
import { CLASSIC_ENDPOINT } from './classicEndpoint';
import { ownershipRuleOff } from './ownership';

export const CONTROLLER_CLUSTER = 'gitops-demo';

/** The pull request hosts the git peer can play. */
export type PeerForge = 'gitea' | 'github' | 'gitlab' | 'azure';

/** The git peer as one host of a type: Gitea (its API), GitHub Enterprise (/api/v3), GitLab (/api/v4) or Azure DevOps (PAT). */
function peerIntegration(forge: PeerForge, baseUrl: string, password: string) {
  const host = new URL(baseUrl).host;
  const web = baseUrl.replace(/\/$/, '');
  switch (forge) {
    case 'github':
      return {
        github: [{ host, apiBaseUrl: `${web}/api/v3`, token: password }],
      };
    case 'gitlab':
      return {
        gitlab: [
          { host, baseUrl: web, apiBaseUrl: `${web}/api/v4`, token: password },
        ],
      };
    case 'azure':
      return {
        azure: [{ host, credentials: [{ personalAccessToken: password }] }],
      };
    default:
      return {
        gitea: [{ host, baseUrl: web, username: gitPeer().user, password }],
      };
  }
}

/** app-config for the git peer as a gitea (default), github or gitlab host; `overrides` reaches integrations and awsGateway. */
export function gitopsConfig(
  options: {
    password?: string;
    baseUrl?: string;
    allowedRepoUrls?: string[];
    timeouts?: Record<string, number>;
    forge?: PeerForge;
  } = {},
) {
  const baseUrl = options.baseUrl ?? gitPeer().baseUrl;
  return new ConfigReader({
    integrations: peerIntegration(
      options.forge ?? 'gitea',
      baseUrl,
      options.password ?? gitPeer().password,
    ),
    awsGateway: {
      provisioning: {
        allowedClusters: [CONTROLLER_CLUSTER],
        allowedRegions: ['eu-west-1'],
        allowedAccountIds: ['111122223333'],
        gateways: { allowedNamespaces: ['default'] },
        gitops: {
          allowedRepoUrls: options.allowedRepoUrls ?? [`${baseUrl}*`],
          ...(options.timeouts ? { timeouts: options.timeouts } : {}),
        },
      },
    },
  });
}

export function commitAction(config = gitopsConfig()) {
  return createGitOpsCommitAction({
    repository: GitOpsRepository.fromConfig(config),
    settings: readGitOpsSettings(config),
    guardrails: {
      gatewayGuardrails: readGatewayGuardrails(config),
      awsGuardrails: AwsGuardrails.fromConfig(config),
    },
    ownership: ownershipRuleOff(),
  });
}

/** No cluster is needed to render. */
const noClusters = new InMemoryKubernetesClusters();

/** A fresh workspace with `manifests/` (the classic endpoint) and `controller/` (a controller setup), as rendered. */
export async function renderedWorkspace(
  config = gitopsConfig(),
): Promise<string> {
  const workspacePath = fs.mkdtempSync(
    path.join(os.tmpdir(), 'gitops-workspace-'),
  );
  const gatewayGuardrails = readGatewayGuardrails(config);
  await runAction(
    createRenderEndpointAction({
      guardrails: gatewayGuardrails,
      clusters: noClusters,
      ownership: ownershipRuleOff(),
    }),
    { ...CLASSIC_ENDPOINT, serverDryRun: false, outputDir: 'manifests' },
    { workspacePath },
  );
  await runAction(
    createRenderControllerAction({
      awsGuardrails: AwsGuardrails.fromConfig(config),
      gatewayGuardrails,
    }),
    {
      cluster: CONTROLLER_CLUSTER,
      region: 'eu-west-1',
      controllerVersion: 'v3.5.0',
      serviceAccountNamespace: 'kube-system',
      serviceAccountName: 'aws-load-balancer-controller',
      scheme: 'internal',
      sourceCidrs: [],
      outputDir: 'controller',
    },
    { workspacePath },
  );
  return workspacePath;
}

export const CLASSIC_PATH = 'gateways/default/aws-tcp-gateway';
