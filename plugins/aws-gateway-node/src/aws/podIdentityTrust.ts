import { PolicyDocument } from './policyDocuments';

/** The service principal EKS Pod Identity assumes roles as. @public */
export const POD_IDENTITY_SERVICE_PRINCIPAL = 'pods.eks.amazonaws.com';

/**
 * Whom a Pod Identity role is for: EKS Pod Identity tags every session with
 * the cluster, namespace and service account, and AWS documents those session
 * tags as trust-policy condition keys ("Create IAM role with trust policy
 * required by EKS Pod Identity"; the tag list in "Enable or disable session
 * tags"). Without them any association in the account could use the role.
 *
 * @public
 */
export interface PodIdentityTrustScope {
  accountId: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
}

/**
 * The trust policy a role needs for EKS Pod Identity: the Pod Identity
 * service may assume it and tag the session; with a scope, only for that
 * account, cluster, namespace and service account.
 *
 * @public
 */
export function podIdentityTrustPolicy(
  scope?: PodIdentityTrustScope,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowEksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: POD_IDENTITY_SERVICE_PRINCIPAL },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        ...(scope
          ? {
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': scope.accountId,
                  'aws:RequestTag/eks-cluster-name': scope.clusterName,
                  'aws:RequestTag/kubernetes-namespace': scope.namespace,
                  'aws:RequestTag/kubernetes-service-account':
                    scope.serviceAccount,
                },
              },
            }
          : {}),
      },
    ],
  };
}
