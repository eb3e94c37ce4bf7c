/**
 * The IAM policies and RBAC objects of docs/install, as an administrator
 * installs them: read from the repository, `${NAME}` placeholders filled,
 * cluster-scoped names made unique per run and bound to a test's identity.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import yaml from 'yaml';
import { REPO_ROOT } from '../../peers/cache';

export const INSTALL_DIR = path.join(REPO_ROOT, 'docs/install');

/** The two AWS identities of docs/install/README.md. */
export type Identity = 'status-reader' | 'provisioner';

export const POLICY_FILES: Record<Identity, string> = {
  'status-reader': 'iam/status-reader-policy.json',
  provisioner: 'iam/provisioner-policy.json',
};

/** The two ClusterRoles of docs/install/rbac, by file. */
export type RbacFile = 'status-reader.yaml' | 'dry-run.yaml';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

/** A value or list of values of a policy element, as a list. */
export const asList = <T>(v: T | T[] | undefined): T[] => {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
};

export function policyText(identity: Identity): string {
  return fs.readFileSync(
    path.join(INSTALL_DIR, POLICY_FILES[identity]),
    'utf8',
  );
}

/** Fills `${NAME}` placeholders; an unknown one is an error (an unfilled policy is invalid). */
export function substitute(
  text: string,
  values: Record<string, string>,
): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    if (!(name in values))
      throw new Error(`no value for placeholder \${${name}}`);
    return values[name];
  });
}

/** The placeholder values of the README's example install for one account, region, cluster and boundary. */
export function installValues(target: {
  accountId: string;
  region: string;
  clusterName: string;
  permissionsBoundaryArn: string;
}): Record<string, string> {
  return {
    ACCOUNT_ID: target.accountId,
    REGION: target.region,
    CLUSTER_NAME: target.clusterName,
    IAM_PATH: '/backstage/',
    ROLE_NAME_PREFIX: 'backstage-',
    POLICY_NAME_PREFIX: 'backstage-',
    PERMISSIONS_BOUNDARY_ARN: target.permissionsBoundaryArn,
  };
}

/** The policy of `identity` with the placeholders filled, as JSON text. */
export function filledPolicy(
  identity: Identity,
  values: Record<string, string>,
): string {
  return substitute(policyText(identity), values);
}

/**
 * The objects of one docs/install/rbac file: cluster-scoped names suffixed
 * with `suffix` (the API server outlives one test run), every binding's
 * subjects replaced by `subject`.
 */
export function rbacObjects(
  file: RbacFile,
  suffix: string,
  subject: k8s.RbacV1Subject,
  values: Record<string, string> = {},
): k8s.KubernetesObject[] {
  const text = substitute(
    fs.readFileSync(path.join(INSTALL_DIR, 'rbac', file), 'utf8'),
    values,
  );
  return yaml.parseAllDocuments(text).map(d => {
    const object = d.toJS() as k8s.KubernetesObject & {
      roleRef?: { name: string };
      subjects?: unknown[];
    };
    object.metadata!.name = `${object.metadata!.name}-${suffix}`;
    if (object.roleRef)
      object.roleRef.name = `${object.roleRef.name}-${suffix}`;
    if (object.subjects) object.subjects = [subject];
    return object;
  });
}

/** The ClusterRole of one docs/install/rbac file (its first document). */
export function clusterRoleOf(
  file: RbacFile,
  suffix: string,
  subject: k8s.RbacV1Subject,
  values: Record<string, string> = {},
): k8s.V1ClusterRole {
  const [role] = rbacObjects(file, suffix, subject, values);
  if (role.kind !== 'ClusterRole')
    throw new Error(`${file} does not begin with its ClusterRole`);
  return role as k8s.V1ClusterRole;
}
