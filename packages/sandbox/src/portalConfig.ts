/**
 * The configuration that wires the portal to the sandbox, as a platform team
 * would wire it to real clusters and AWS: the cluster through the Kubernetes
 * plugin's config, the GitOps server through a Gitea integration, AWS through
 * the aws integration (AWS_ENDPOINT_URL points the SDK at the emulators), and
 * guardrails that allow exactly the sandbox's account, region, cluster and
 * repository. `awsGateway.sandbox: true` makes the card say it is a sandbox.
 */
import fs from 'node:fs';
import type { PeersInfo } from '@gateway-portal/test-suite/peers/harness';

export interface SandboxWiring {
  peers: PeersInfo;
  /** Kubernetes cluster name, also the EKS cluster name in moto and the controller's --cluster-name. */
  cluster: string;
  kubeServer: string;
  /** Where the portal reaches the git server: its front (gitWeb/gitFront.ts). */
  gitBaseUrl: string;
  repoUrl: string;
  /** Serves the controller's IAM policy: http://127.0.0.1:<port>/{version}/iam_policy.json. */
  policyUrlTemplate: string;
  permissionsBoundaryArn: string;
}

export function sandboxPortalConfig(w: SandboxWiring): Record<string, unknown> {
  const { aws, kube, git } = w.peers;
  if (!aws || !kube || !git)
    throw new Error('the sandbox needs the aws, kube and git peers');
  return {
    // fetch-iam-policy reads the policy server through the UrlReaderService.
    backend: {
      reading: { allow: [{ host: new URL(w.policyUrlTemplate).host }] },
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: w.cluster,
              url: w.kubeServer,
              authProvider: 'serviceAccount',
              serviceAccountToken: kube.adminToken,
              caData: fs.readFileSync(kube.caFile).toString('base64'),
            },
          ],
        },
      ],
    },
    integrations: {
      gitea: [
        {
          host: new URL(w.gitBaseUrl).host,
          baseUrl: w.gitBaseUrl,
          username: git.user,
          password: git.password,
        },
      ],
    },
    aws: {
      mainAccount: {
        accessKeyId: aws.accessKeyId,
        secretAccessKey: aws.secretAccessKey,
      },
    },
    awsGateway: {
      sandbox: true,
      status: {
        cacheTtlSeconds: 1,
        clusters: [
          {
            name: w.cluster,
            accountId: aws.accountId,
            region: aws.region,
            controllerClusterName: w.cluster,
          },
        ],
      },
      provisioning: {
        allowedAccountIds: [aws.accountId],
        allowedRegions: [aws.region],
        allowedClusters: [w.cluster],
        iam: {
          path: '/backstage/',
          roleNamePrefix: 'backstage-',
          policyNamePrefix: 'backstage-',
          permissionsBoundaryArn: w.permissionsBoundaryArn,
          tags: { 'cost-center': 'sandbox' },
        },
        gateways: {
          allowedNamespaces: ['default'],
          allowedListenerPorts: ['1024-65535'],
        },
        controller: { policyUrlTemplate: w.policyUrlTemplate },
        gitops: { allowedRepoUrls: [w.repoUrl] },
      },
    },
  };
}

/** Environment of the portal's backend: the AWS SDK's standard endpoint and region variables. */
export function sandboxPortalEnv(peers: PeersInfo): Record<string, string> {
  if (!peers.aws) return {};
  return {
    AWS_ENDPOINT_URL: peers.aws.endpoint,
    AWS_REGION: peers.aws.region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
