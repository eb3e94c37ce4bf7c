import { invalid, notAllowed } from './refusals';

/** The EKS Pod Identity rule: which service accounts an association may bind. */

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const K8S_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function checkServiceAccount(
  field: string,
  namespace: string,
  serviceAccount: string,
  allowedServiceAccounts: string[],
): string {
  if (!K8S_NAME.test(namespace) || namespace.length > 63) {
    throw invalid(
      `${field} (namespace)`,
      namespace,
      'must be a Kubernetes namespace name',
    );
  }
  if (!K8S_SUBDOMAIN.test(serviceAccount) || serviceAccount.length > 253) {
    throw invalid(
      `${field} (serviceAccount)`,
      serviceAccount,
      'must be a Kubernetes service account name',
    );
  }
  const pair = `${namespace}/${serviceAccount}`;
  if (!allowedServiceAccounts.includes(pair)) {
    throw notAllowed(field, pair, 'podIdentity.allowedServiceAccounts');
  }
  return pair;
}
