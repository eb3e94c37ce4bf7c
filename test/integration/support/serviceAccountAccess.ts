/**
 * A ServiceAccount of the peers' kube-apiserver signed in with its own token
 * (TokenRequest), so that a test runs product code as a non-admin identity
 * whose rights come only from the RBAC objects the test applied.
 */
import * as k8s from '@kubernetes/client-node';

export interface ServiceAccountAccess {
  /** `system:serviceaccount:<namespace>:<name>`, as RBAC and SubjectAccessReview see it. */
  user: string;
  groups: string[];
  /** The RBAC subject that names this ServiceAccount. */
  subject: k8s.RbacV1Subject;
  kubeConfig: k8s.KubeConfig;
}

/** Creates the ServiceAccount `namespace/name` (as admin) and a KubeConfig with a token of it (10 minutes unless said). */
export async function serviceAccountAccess(
  admin: k8s.KubeConfig,
  namespace: string,
  name: string,
  expirationSeconds = 600,
): Promise<ServiceAccountAccess & { token: string }> {
  const core = admin.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name } },
  });
  const request = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: {
      spec: { audiences: [], expirationSeconds },
    } as k8s.AuthenticationV1TokenRequest,
  });
  const token = request.status!.token;
  const cluster = admin.getCurrentCluster()!;
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [{ name, token }],
    contexts: [{ name, cluster: cluster.name, user: name }],
    currentContext: name,
  });
  return {
    user: `system:serviceaccount:${namespace}:${name}`,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      'system:authenticated',
    ],
    subject: { kind: 'ServiceAccount', name, namespace },
    kubeConfig,
    token,
  };
}

/** One question for SubjectAccessReview: may the identity do `verb` on `resource`? */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  /** Absent: across all namespaces (a cluster-wide list) or a cluster-scoped resource. */
  namespace?: string;
}

/** Asks the API server's authorizer (as admin) whether `who` may do what `question` says. */
export async function isAllowed(
  admin: k8s.KubeConfig,
  who: Pick<ServiceAccountAccess, 'user' | 'groups'>,
  question: AccessQuestion,
): Promise<boolean> {
  const review = await admin
    .makeApiClient(k8s.AuthorizationV1Api)
    .createSubjectAccessReview({
      body: {
        spec: {
          user: who.user,
          groups: who.groups,
          resourceAttributes: {
            verb: question.verb,
            group: question.group,
            resource: question.resource,
            namespace: question.namespace,
          },
        },
      },
    });
  return review.status?.allowed === true;
}

/** `verb group/resource [in namespace]`, for test names and failure messages. */
export function describeQuestion(q: AccessQuestion): string {
  return `${q.verb} ${q.group ? `${q.resource}.${q.group}` : q.resource}${
    q.namespace ? ` in ${q.namespace}` : ' (all namespaces)'
  }`;
}
