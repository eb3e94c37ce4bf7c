/**
 * An AWS peer of its own that ENFORCES IAM: moto started with
 * INITIAL_NO_AUTH_ACTION_COUNT, behind its own Pod Identity emulator, for the
 * least-privilege tests. The shared peer (harness.ts) is never enforcing.
 *
 * What moto 5.2.1 enforces, read from moto/core/authorization.py and
 * moto/iam/access_control.py and checked against this server:
 * - authentication of every call of every service that dispatches through
 *   moto's BaseResponse (IAM, STS, ELBv2, EC2, EKS…): the access key must
 *   belong to an IAM user (or an assumed role) of this moto, and the SigV4
 *   signature is recomputed with its secret (a wrong key: InvalidClientTokenId;
 *   a wrong secret: SignatureDoesNotMatch);
 * - authorization of the call's action (`<service>:<Operation>`) against the
 *   principal's inline and attached policies (and its groups'); an explicit
 *   Deny wins; sts:GetCallerIdentity is always allowed;
 * - the resource is `*`, except for IAM calls naming an existing role
 *   (`RoleName`), which are authorized against that role's ARN. So a statement
 *   scoped to ARNs grants nothing on any other call: see motoEvaluableDocument;
 * - conditions are not evaluated (no request context values): a condition
 *   never denies;
 * - dependent and tag-on-create actions (iam:PassRole, iam:TagRole with
 *   CreateRole's Tags…) are not authorized separately;
 * - signed EKS GET requests fail the signature check (SignatureDoesNotMatch,
 *   even for an Allow-everything user), so the Pod Identity emulator looks
 *   clusters up in the list this peer keeps of the ones it created, and the
 *   emulator's own five Pod Identity operations are authenticated by nobody:
 *   eks:*PodIdentityAssociation is NOT enforced.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  IAMClient,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AwsPeerInfo, awsClientConfigFrom } from './aws';
import { installMoto, startMoto } from './moto';
import { startPodIdentityEmulator } from './pod-identity-emulator';

/** The unauthenticated calls that create the admin: CreateUser, PutUserPolicy, CreateAccessKey. */
const BOOTSTRAP_CALLS = 3;
const ADMIN_USER = 'peers-admin';
const ALLOW_EVERYTHING = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface IamEnforcingAws {
  /** The peer as an administrator (Allow * on *) sees it: for the test's own set-up and checks. */
  admin: AwsPeerInfo;
  /** moto CreateCluster as the admin; the Pod Identity emulator then knows the cluster. */
  createCluster(name: string, subnetIds: string[]): Promise<string>;
  /** A new IAM user without any policy, and an access key of it. */
  createUser(name: string): Promise<AccessKey>;
  /** Replaces every inline policy of `user` with `documents` (policy name → JSON), effective on the next call. */
  setUserPolicies(
    user: string,
    documents: Record<string, string>,
  ): Promise<void>;
  stop(): Promise<void>;
}

type PolicyStatement = {
  Effect: string;
  Resource?: string | string[];
  [key: string]: unknown;
};

/**
 * A policy document as moto can evaluate it: each Allow statement also
 * names the resource `*`, which is what moto authorizes every call against
 * (above). Actions, Effects and Deny statements are kept as written; the
 * resource scoping itself is what moto cannot check.
 */
export function motoEvaluableDocument(document: string): string {
  const parsed = JSON.parse(document) as { Statement: PolicyStatement[] };
  return JSON.stringify({
    ...parsed,
    Statement: parsed.Statement.map(s => {
      if (s.Effect !== 'Allow' || s.Resource === undefined) return s;
      const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      return resources.includes('*')
        ? s
        : { ...s, Resource: [...resources, '*'] };
    }),
  });
}

export async function startIamEnforcingAws(
  region = process.env.PEERS_AWS_REGION || 'us-west-2',
): Promise<IamEnforcingAws> {
  await installMoto();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-enforcing-aws-'));
  const clusters = new Map<string, string>();
  const moto = await startMoto(workDir, {
    enforceIamAfterCalls: BOOTSTRAP_CALLS,
  });
  const stops: Array<() => Promise<void>> = [() => moto.child.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const emulator = await startPodIdentityEmulator(moto.endpoint, {
      lookupCluster: (r, name) => clusters.get(`${r}/${name}`),
    });
    stops.push(() => emulator.close());
    const anonymous: AwsPeerInfo = {
      endpoint: emulator.endpoint,
      motoEndpoint: moto.endpoint,
      region,
      accountId: process.env.MOTO_ACCOUNT_ID || '123456789012',
      accessKeyId: 'testing',
      secretAccessKey: 'testing',
    };
    const admin: AwsPeerInfo = {
      ...anonymous,
      ...(await bootstrapAdmin(anonymous)),
    };
    await expectEnforced(anonymous);

    const withIam = async <T>(fn: (iam: IAMClient) => Promise<T>) => {
      const iam = new IAMClient(awsClientConfigFrom(admin));
      try {
        return await fn(iam);
      } finally {
        iam.destroy();
      }
    };
    return {
      admin,
      createCluster: async (name, subnetIds) => {
        const eks = new EKSClient(awsClientConfigFrom(admin));
        try {
          const created = await eks.send(
            new CreateClusterCommand({
              name,
              roleArn: `arn:aws:iam::${admin.accountId}:role/eks-cluster`,
              resourcesVpcConfig: { subnetIds },
            }),
          );
          clusters.set(`${region}/${name}`, created.cluster!.arn!);
          return created.cluster!.arn!;
        } finally {
          eks.destroy();
        }
      },
      createUser: name =>
        withIam(async iam => {
          await iam.send(new CreateUserCommand({ UserName: name }));
          const { AccessKey } = await iam.send(
            new CreateAccessKeyCommand({ UserName: name }),
          );
          return {
            accessKeyId: AccessKey!.AccessKeyId!,
            secretAccessKey: AccessKey!.SecretAccessKey!,
          };
        }),
      setUserPolicies: (user, documents) =>
        withIam(async iam => {
          const { PolicyNames } = await iam.send(
            new ListUserPoliciesCommand({ UserName: user }),
          );
          for (const PolicyName of PolicyNames ?? [])
            await iam.send(
              new DeleteUserPolicyCommand({ UserName: user, PolicyName }),
            );
          for (const [PolicyName, PolicyDocument] of Object.entries(documents))
            await iam.send(
              new PutUserPolicyCommand({
                UserName: user,
                PolicyName,
                PolicyDocument,
              }),
            );
        }),
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(
      `the IAM-enforcing AWS peer failed to start (moto log: ${path.join(
        workDir,
        'moto.log',
      )}): ${(e as Error).message}`,
    );
  }
}

/** The bootstrap calls: an admin user with an Allow-everything policy and its access key. */
async function bootstrapAdmin(anonymous: AwsPeerInfo): Promise<AccessKey> {
  const iam = new IAMClient(awsClientConfigFrom(anonymous));
  try {
    await iam.send(new CreateUserCommand({ UserName: ADMIN_USER }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: ADMIN_USER,
        PolicyName: 'allow-everything',
        PolicyDocument: ALLOW_EVERYTHING,
      }),
    );
    const { AccessKey } = await iam.send(
      new CreateAccessKeyCommand({ UserName: ADMIN_USER }),
    );
    return {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    };
  } finally {
    iam.destroy();
  }
}

/** Fails unless moto now refuses a key it does not know: the peer must enforce, or the tests prove nothing. */
async function expectEnforced(anonymous: AwsPeerInfo): Promise<void> {
  const iam = new IAMClient(awsClientConfigFrom(anonymous));
  try {
    await iam.send(new ListUserPoliciesCommand({ UserName: ADMIN_USER }));
  } catch (e) {
    if ((e as Error).name === 'InvalidClientTokenId') return;
    throw e;
  } finally {
    iam.destroy();
  }
  throw new Error('moto answered an unknown access key: IAM is not enforced');
}
