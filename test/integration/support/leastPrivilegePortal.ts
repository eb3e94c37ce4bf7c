/**
 * The real portal with exactly the permissions docs/install grants: its AWS
 * credentials (`aws.mainAccount`) are an access key of an IAM user of an
 * IAM-enforcing moto (peers/iam-enforcement.ts), and the Kubernetes plugin's
 * one cluster authenticates with the token of a ServiceAccount bound by the
 * two ClusterRoles of docs/install/rbac. The test decides, per phase, which
 * policy the user holds and which rules each ClusterRole has.
 */
import fs from 'node:fs';
import { IAMClient } from '@aws-sdk/client-iam';
import * as k8s from '@kubernetes/client-node';
import { ensureAppBuilt, RunningPortal, startPortal } from '../../e2e/portal';
import {
  CLUSTER_FOR_PROFILE,
  portalEnvForPeers,
  portalOverlayForPeers,
} from '../../e2e/portalConfig';
import { awsClientConfigFrom, createNetworkAt } from '../../peers/aws';
import {
  AccessKey,
  IamEnforcingAws,
  startIamEnforcingAws,
} from '../../peers/iam-enforcement';
import { kubeConfigFor, loadPeers, PROFILE_V16, uniqueName } from '../../peers';
import { CountingProxy, startCountingProxy } from './countingProxy';
import {
  clusterRoleOf,
  installValues,
  RbacFile,
  rbacObjects,
} from './installDocs';
import { PortalClient } from './scaffolderClient';
import {
  AccessQuestion,
  isAllowed,
  serviceAccountAccess,
  ServiceAccountAccess,
} from './serviceAccountAccess';
import {
  createPlatformBoundary,
  servePolicyMirror,
  TemplatesPortal,
} from './templatesPortal';

/** The one cluster of this portal: the v1.6 profile's API server, and its EKS cluster in moto. */
export const LEAST_PRIVILEGE_CLUSTER = CLUSTER_FOR_PROFILE[PROFILE_V16];
/** The namespace the dry-run ClusterRole is bound in (the expose template's default). */
export const GATEWAY_NAMESPACE = 'default';
const AWS_USER = 'gateway-portal';
/**
 * awsGateway.status.watch.idleStopSeconds of this portal: RBAC changes reach
 * a running watch only at its next list or watch request, so the tests let
 * the cluster's watches go idle, and the next read starts them afresh.
 */
const WATCH_IDLE_STOP_SECONDS = 1;
/**
 * awsGateway.status.watch.retryMaxSeconds of this portal: a refused list or
 * watch is asked again at least this often (× 1.2), so a grant is picked up
 * by a running watch within that.
 */
export const WATCH_RETRY_MAX_SECONDS = 2;

export interface LeastPrivilegePortal extends TemplatesPortal {
  aws: IamEnforcingAws;
  /** The portal's own Kubernetes identity (its token is in the Kubernetes plugin's config). */
  kube: ServiceAccountAccess;
  /** docs/install placeholders as this install fills them. */
  values: Record<string, string>;
  /** What must never appear in an answer or a log line: credentials and internal addresses. */
  secrets: string[];
  /** The portal's IAM user holds exactly these inline policies (name → JSON) from the next call on. */
  grantAws(documents: Record<string, string>): Promise<void>;
  /** The documented rules of one ClusterRole (as installed). */
  documentedRules(file: RbacFile): k8s.V1PolicyRule[];
  /** Gives one ClusterRole exactly `rules` and waits until the API server's authorizer agrees. */
  setRules(file: RbacFile, rules: k8s.V1PolicyRule[]): Promise<void>;
  /**
   * Waits until the status backend's watches of the cluster are idle (no
   * status read meanwhile): the next read starts them afresh, with a first
   * list and watch of everything under the rules in force then.
   */
  untilWatchesIdle(): Promise<void>;
}

/** Every (verb, group, resource) a set of rules grants. */
function grantsOf(
  rules: k8s.V1PolicyRule[],
): Array<Omit<AccessQuestion, 'namespace'>> {
  return rules.flatMap(r =>
    (r.apiGroups ?? ['']).flatMap(group =>
      (r.resources ?? []).flatMap(resource =>
        r.verbs.map(verb => ({ verb, group, resource })),
      ),
    ),
  );
}

export async function startLeastPrivilegePortal(
  name: string,
): Promise<LeastPrivilegePortal> {
  const peers = loadPeers();
  if (!peers.kube?.profiles[PROFILE_V16] || !peers.git)
    throw new Error(
      `the least-privilege tests need the kube (${PROFILE_V16}) and git peers`,
    );
  ensureAppBuilt();
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse())
      await c().catch(() => undefined);
  };
  try {
    const aws = await startIamEnforcingAws();
    cleanups.push(() => aws.stop());
    const network = await createNetworkAt(aws.admin, LEAST_PRIVILEGE_CLUSTER);
    await aws.createCluster(LEAST_PRIVILEGE_CLUSTER, network.subnetIds);
    const iam = new IAMClient(awsClientConfigFrom(aws.admin));
    const boundaryArn = await createPlatformBoundary(iam).finally(() =>
      iam.destroy(),
    );
    const key: AccessKey = await aws.createUser(AWS_USER);
    const values = installValues({
      accountId: aws.admin.accountId,
      region: aws.admin.region,
      clusterName: LEAST_PRIVILEGE_CLUSTER,
      permissionsBoundaryArn: boundaryArn,
    });

    // Kubernetes: one ServiceAccount, bound by both documented ClusterRoles.
    const admin = kubeConfigFor(PROFILE_V16);
    const suffix = uniqueName('lp');
    const home = uniqueName('portal');
    const core = admin.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: home } } });
    cleanups.push(() => core.deleteNamespace({ name: home }));
    const kube = await serviceAccountAccess(admin, home, 'portal', 3600);
    const objects = k8s.KubernetesObjectApi.makeApiClient(admin);
    const installed = [
      ...rbacObjects('status-reader.yaml', suffix, kube.subject),
      ...rbacObjects('dry-run.yaml', suffix, kube.subject, {
        GATEWAY_NAMESPACE,
      }),
    ];
    for (const object of installed) {
      await objects.create(object);
      cleanups.push(() => objects.delete(object));
    }

    const mirror = await servePolicyMirror();
    cleanups.push(() => mirror.close());
    const proxy: CountingProxy = await startCountingProxy(aws.admin.endpoint);
    cleanups.push(() => proxy.close());
    const profile = peers.kube.profiles[PROFILE_V16];
    const portalPeers = { ...peers, aws: { ...aws.admin, ...key } };
    const overlay = portalOverlayForPeers(portalPeers, {
      statusCacheTtlSeconds: 0,
      policyUrlTemplate: mirror.template,
      permissionsBoundaryArn: boundaryArn,
      extraOverlay: {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: LEAST_PRIVILEGE_CLUSTER,
                  url: profile.server,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: kube.token,
                  caData: fs.readFileSync(peers.kube.caFile).toString('base64'),
                },
              ],
            },
          ],
        },
      },
    });
    // The peers overlay always has awsGateway.status (the AWS peer is required here).
    const status = (overlay.awsGateway as { status: Record<string, unknown> })
      .status;
    status.watch = {
      idleStopSeconds: WATCH_IDLE_STOP_SECONDS,
      retryMaxSeconds: WATCH_RETRY_MAX_SECONDS,
    };
    // Every refresh reads the load balancer's structure too, so each ELBv2
    // permission is needed by the next read (none answered from the
    // structure cache).
    status.structureRefreshAfterSeconds = 0;
    const portal: RunningPortal = await startPortal({
      name,
      overlay,
      env: {
        ...portalEnvForPeers(portalPeers),
        AWS_ENDPOINT_URL: proxy.endpoint,
      },
    });
    cleanups.push(() => portal.stop());
    const client = await PortalClient.signInAsGuest(portal.baseUrl);
    await client.waitForEntity('template', 'default', 'controller-setup');
    await client.waitForEntity('template', 'default', 'expose-tcp-endpoint');
    await client.waitForEntity('component', 'default', 'backend');

    const roles: Record<RbacFile, k8s.V1ClusterRole> = {
      'status-reader.yaml': clusterRoleOf(
        'status-reader.yaml',
        suffix,
        kube.subject,
      ),
      'dry-run.yaml': clusterRoleOf('dry-run.yaml', suffix, kube.subject, {
        GATEWAY_NAMESPACE,
      }),
    };
    const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
    return {
      portal,
      client,
      proxy,
      boundaryArn,
      vpcId: network.vpcId,
      profiles: [{ profile: PROFILE_V16, cluster: LEAST_PRIVILEGE_CLUSTER }],
      aws,
      kube,
      values,
      secrets: [
        key.secretAccessKey,
        aws.admin.secretAccessKey,
        kube.token,
        peers.git.password,
        new URL(aws.admin.motoEndpoint).host,
        new URL(aws.admin.endpoint).host,
        new URL(proxy.endpoint).host,
        new URL(profile.server).host,
      ],
      grantAws: documents => aws.setUserPolicies(AWS_USER, documents),
      documentedRules: file => roles[file].rules ?? [],
      setRules: async (file, rules) => {
        const role = roles[file];
        await rbac.replaceClusterRole({
          name: role.metadata!.name!,
          body: { ...role, rules },
        });
        const namespace =
          file === 'dry-run.yaml' ? GATEWAY_NAMESPACE : undefined;
        const wanted = grantsOf(rules).map(q => JSON.stringify(q));
        const questions = grantsOf(role.rules ?? []).map(q => ({
          ...q,
          namespace,
        }));
        // RBAC reaches the authorizer through an informer: wait until it says what the rules say.
        for (let attempt = 0; ; attempt++) {
          const answers = await Promise.all(
            questions.map(q => isAllowed(admin, kube, q)),
          );
          const agrees = questions.every(
            ({ namespace: _, ...q }, i) =>
              answers[i] === wanted.includes(JSON.stringify(q)),
          );
          if (agrees) return;
          if (attempt > 100)
            throw new Error(`the rules of ${file} did not take effect in 10 s`);
          await new Promise(r => setTimeout(r, 100));
        }
      },
      untilWatchesIdle: () =>
        new Promise(r => setTimeout(r, WATCH_IDLE_STOP_SECONDS * 1000 + 300)),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
