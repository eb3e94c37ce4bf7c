import {
  isDnsLabel,
  isDnsSubdomain,
} from '@gateway-portal/plugin-aws-gateway-common';
import { invalid, notAllowed } from './refusals';

/** The EKS Pod Identity rule: which service accounts an association may bind. */

export function checkServiceAccount(
  field: string,
  namespace: string,
  serviceAccount: string,
  allowedServiceAccounts: string[],
): string {
  if (!isDnsLabel(namespace)) {
    throw invalid(
      `${field} (namespace)`,
      namespace,
      'must be a Kubernetes namespace name',
    );
  }
  if (!isDnsSubdomain(serviceAccount)) {
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
