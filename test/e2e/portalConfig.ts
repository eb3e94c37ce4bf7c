/**
 * The config overlay that wires the real portal to the test peers, exactly as
 * a platform team configures it for real: clusters through the Kubernetes
 * plugin's config, the GitOps server through an SCM integration, AWS through
 * the aws integration (the SDK's AWS_ENDPOINT_URL points it at the peer).
 */
import fs from 'node:fs';
import type { PeersInfo } from '../peers';

/** Kubernetes cluster name (also the EKS cluster name in moto) per CRD profile. */
export const CLUSTER_FOR_PROFILE: Record<string, string> = {
  'gateway-api-v1.6': 'eks-lbc-v35',
  'gateway-api-v1.3': 'eks-lbc-v217',
};

export interface PortalPeersOptions {
  statusCacheTtlSeconds?: number;
  /** awsGateway.provisioning.controller.policyUrlTemplate, e.g. a loopback mirror of the controller's IAM policy. */
  policyUrlTemplate?: string;
  /** awsGateway.provisioning.iam.permissionsBoundaryArn. */
  permissionsBoundaryArn?: string;
  /** awsGateway.provisioning.gitops.allowedRepoUrls; default: every repository of the git peer. */
  gitopsAllowedRepoUrls?: string[];
  /** awsGateway.permissions (who may run which action); default: unset, everything allowed. */
  permissions?: { platformTeams?: string[]; privilegedActions?: string[] };
  /** More top-level config (e.g. `auth`), merged over the peers overlay key by key. */
  extraOverlay?: Record<string, unknown>;
}

export function portalOverlayForPeers(
  peers: PeersInfo,
  options: PortalPeersOptions = {},
): Record<string, unknown> {
  const overlay: Record<string, any> = {};
  if (peers.kube) {
    const caData = fs.readFileSync(peers.kube.caFile).toString('base64');
    overlay.kubernetes = {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: Object.entries(peers.kube.profiles).map(([profile, p]) => ({
            name: CLUSTER_FOR_PROFILE[profile] ?? profile,
            url: p.server,
            authProvider: 'serviceAccount',
            serviceAccountToken: peers.kube!.adminToken,
            caData,
          })),
        },
      ],
    };
  }
  if (peers.git) {
    overlay.integrations = {
      gitea: [
        {
          host: new URL(peers.git.baseUrl).host,
          baseUrl: peers.git.baseUrl,
          username: peers.git.user,
          password: peers.git.password,
        },
      ],
    };
  }
  if (peers.aws) {
    overlay.aws = {
      mainAccount: {
        accessKeyId: peers.aws.accessKeyId,
        secretAccessKey: peers.aws.secretAccessKey,
      },
    };
    overlay.awsGateway = {
      status: {
        cacheTtlSeconds: options.statusCacheTtlSeconds ?? 1,
        // Where each cluster's load balancers live, for lookups before the
        // Gateway status carries the NLB ARN (tags, then DNS name).
        clusters: Object.values(CLUSTER_FOR_PROFILE).map(name => ({
          name,
          accountId: peers.aws!.accountId,
          region: peers.aws!.region,
        })),
      },
      provisioning: {
        allowedAccountIds: [peers.aws.accountId],
        allowedRegions: [peers.aws.region],
        allowedClusters: Object.values(CLUSTER_FOR_PROFILE),
        iam: {
          path: '/backstage/',
          roleNamePrefix: 'backstage-',
          policyNamePrefix: 'backstage-',
          tags: { 'cost-center': 'platform' },
          ...(options.permissionsBoundaryArn
            ? { permissionsBoundaryArn: options.permissionsBoundaryArn }
            : {}),
        },
        gateways: {
          allowedNamespaces: ['default', 'apps'],
          allowedListenerPorts: ['1024-65535'],
        },
        ...(options.policyUrlTemplate
          ? { controller: { policyUrlTemplate: options.policyUrlTemplate } }
          : {}),
        ...(peers.git || options.gitopsAllowedRepoUrls
          ? {
              gitops: {
                allowedRepoUrls: options.gitopsAllowedRepoUrls ?? [
                  `${peers.git!.baseUrl}*`,
                ],
              },
            }
          : {}),
      },
    };
  }
  if (options.permissions) {
    overlay.awsGateway = {
      ...overlay.awsGateway,
      permissions: options.permissions,
    };
  }
  const merged: Record<string, any> = { ...overlay, ...options.extraOverlay };
  if (options.policyUrlTemplate) {
    // fetch-iam-policy reads the mirror through the UrlReaderService, whose
    // allow-list is backend.reading.allow; kept beside any the caller lists.
    const backend = merged.backend ?? {};
    merged.backend = {
      ...backend,
      reading: {
        ...backend.reading,
        allow: [
          ...(backend.reading?.allow ?? []),
          { host: new URL(options.policyUrlTemplate).host },
        ],
      },
    };
  }
  return merged;
}

/** Environment for the backend process: the AWS SDK's standard endpoint and region variables. */
export function portalEnvForPeers(peers: PeersInfo): Record<string, string> {
  if (!peers.aws) return {};
  return {
    AWS_ENDPOINT_URL: peers.aws.endpoint,
    AWS_REGION: peers.aws.region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
