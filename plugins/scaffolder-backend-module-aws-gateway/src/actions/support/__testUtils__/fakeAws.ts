/**
 * In-process fake of the IAM and EKS Pod Identity operations the actions use,
 * for unit tests. Real SDK clients are built by the real
 * DefaultAwsClientFactory; its `instrument` hook adds a middleware that
 * answers each command from memory, so nothing leaves the process and every
 * call is recorded. Errors are the SDK's own exception classes.
 */
import {
  DeleteConflictException,
  EntityAlreadyExistsException,
  LimitExceededException,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  InvalidParameterException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { ConfigReader } from '@backstage/config';
import {
  AwsClientFactory,
  DefaultAwsClientFactory,
} from '@gateway-portal/plugin-aws-gateway-node';

export const FAKE_ACCOUNT = '111122223333';
export const FAKE_REGION = 'eu-west-1';
export const FAKE_CLUSTER = 'demo';

const MUTATING = /^(Create|Update|Put|Attach|Detach|Tag|Untag|Delete|Set)/;

type Tags = Array<{ Key?: string; Value?: string }>;

interface FakePolicyVersion {
  VersionId: string;
  Document: string;
  CreateDate: Date;
}
interface FakePolicy {
  Arn: string;
  PolicyName: string;
  Path: string;
  DefaultVersionId: string;
  Tags: Tags;
  versions: FakePolicyVersion[];
  nextVersion: number;
}
interface FakeRole {
  RoleName: string;
  Arn: string;
  Path: string;
  AssumeRolePolicyDocument: string;
  PermissionsBoundary?: {
    PermissionsBoundaryType: string;
    PermissionsBoundaryArn: string;
  };
  Tags: Tags;
  attached: string[];
}
interface FakeAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn: string;
  associationId: string;
  tags?: Record<string, string>;
}

const meta = { $metadata: {} };

/** IAM stores documents normalised and returns them URL-encoded. */
function iamEncode(document: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new MalformedPolicyDocumentException({
      message: 'Syntax errors in policy.',
      ...meta,
    });
  }
  return encodeURIComponent(JSON.stringify(parsed, null, 4));
}

export class FakeAws {
  readonly calls: Array<{ command: string; input: any }> = [];
  readonly policies = new Map<string, FakePolicy>();
  readonly roles = new Map<string, FakeRole>();
  readonly associations = new Map<string, FakeAssociation>();
  readonly clusters = new Set<string>([FAKE_CLUSTER]);
  /** Create calls EKS answers with "role not found" before it sees a new role. */
  roleInvisibleForCreates = 0;
  /** Runs before each command is answered (e.g. to emulate a concurrent writer). */
  beforeCall?: (command: string) => void;
  private readonly injected = new Map<string, Error[]>();
  private clock = Date.UTC(2026, 0, 1);
  private seq = 0;

  /** Makes the next call of `command` fail with `error`. */
  failNext(command: string, error: Error) {
    this.injected.set(command, [...(this.injected.get(command) ?? []), error]);
  }

  mutatingCalls(): string[] {
    return this.calls.map(c => c.command).filter(c => MUTATING.test(c));
  }

  /** A real client factory whose clients are answered by this fake. */
  clientFactory(): AwsClientFactory {
    // Static keys for the account, so the credentials manager asks no STS.
    const config = new ConfigReader({
      aws: {
        accounts: [
          {
            accountId: FAKE_ACCOUNT,
            accessKeyId: 'AKIAFAKE',
            secretAccessKey: 'fake',
          },
        ],
      },
    });
    return DefaultAwsClientFactory.fromConfig(config, {
      instrument: client => {
        // The clients' stacks differ in their type parameters only.
        const stack = client.middlewareStack as {
          add(middleware: unknown, options: object): void;
        };
        stack.add(
          (_next: unknown, context: { commandName?: string }) =>
            async (args: any) => {
              const command = String(context.commandName).replace(
                /Command$/,
                '',
              );
              this.calls.push({ command, input: args.input });
              const output = this.handle(command, args.input);
              return { output: { ...meta, ...output }, response: {} };
            },
          { step: 'initialize', name: 'fakeAws', priority: 'high' },
        );
      },
    });
  }

  /** Adds a policy as if someone else (or this plugin, with the tag) created it. */
  seedPolicy(arn: string, document: object, tags: Tags = []) {
    const [, , , , , resource] = arn.split(':');
    const rest = resource.slice('policy'.length);
    const slash = rest.lastIndexOf('/');
    this.policies.set(arn, {
      Arn: arn,
      PolicyName: rest.slice(slash + 1),
      Path: rest.slice(0, slash + 1),
      DefaultVersionId: 'v1',
      Tags: tags,
      versions: [
        {
          VersionId: 'v1',
          Document: iamEncode(JSON.stringify(document)),
          CreateDate: this.now(),
        },
      ],
      nextVersion: 2,
    });
  }

  seedRole(name: string, path: string, trust: object, tags: Tags = []) {
    this.roles.set(name, {
      RoleName: name,
      Path: path,
      Arn: `arn:aws:iam::${FAKE_ACCOUNT}:role${path}${name}`,
      AssumeRolePolicyDocument: iamEncode(JSON.stringify(trust)),
      Tags: tags,
      attached: [],
    });
  }

  seedAssociation(
    namespace: string,
    serviceAccount: string,
    roleArn: string,
  ): FakeAssociation {
    const associationId = `a-seeded${++this.seq}`;
    const a = {
      clusterName: FAKE_CLUSTER,
      namespace,
      serviceAccount,
      roleArn,
      associationId,
      associationArn: `arn:aws:eks:${FAKE_REGION}:${FAKE_ACCOUNT}:podidentityassociation/${FAKE_CLUSTER}/${associationId}`,
    };
    this.associations.set(associationId, a);
    return a;
  }

  private now(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  private policy(arn: string): FakePolicy {
    const p = this.policies.get(arn);
    if (!p)
      throw new NoSuchEntityException({
        message: `Policy ${arn} does not exist or is not attachable.`,
        ...meta,
      });
    return p;
  }

  private role(name: string): FakeRole {
    const r = this.roles.get(name);
    if (!r)
      throw new NoSuchEntityException({
        message: `The role with name ${name} cannot be found.`,
        ...meta,
      });
    return r;
  }

  private cluster(name: string) {
    if (!this.clusters.has(name)) {
      throw new ResourceNotFoundException({
        message: `No cluster found for name: ${name}.`,
        ...meta,
      });
    }
  }

  private policyView(p: FakePolicy) {
    const { versions: _v, nextVersion: _n, ...rest } = p;
    return { ...rest, Tags: p.Tags.length ? p.Tags : undefined };
  }

  private roleView(r: FakeRole) {
    const { attached: _a, ...rest } = r;
    return rest;
  }

  private handle(command: string, input: any): object {
    this.beforeCall?.(command);
    const queued = this.injected.get(command);
    if (queued?.length) throw queued.shift();
    switch (command) {
      // IAM policies
      case 'GetPolicy':
        return { Policy: this.policyView(this.policy(input.PolicyArn)) };
      case 'CreatePolicy': {
        if (
          [...this.policies.values()].some(
            p => p.PolicyName === input.PolicyName,
          )
        ) {
          throw new EntityAlreadyExistsException({
            message: `A policy called ${input.PolicyName} already exists.`,
            ...meta,
          });
        }
        const arn = `arn:aws:iam::${FAKE_ACCOUNT}:policy${input.Path ?? '/'}${
          input.PolicyName
        }`;
        const Document = iamEncode(input.PolicyDocument);
        const p: FakePolicy = {
          Arn: arn,
          PolicyName: input.PolicyName,
          Path: input.Path ?? '/',
          DefaultVersionId: 'v1',
          Tags: input.Tags ?? [],
          versions: [{ VersionId: 'v1', Document, CreateDate: this.now() }],
          nextVersion: 2,
        };
        this.policies.set(arn, p);
        return { Policy: this.policyView(p) };
      }
      case 'GetPolicyVersion': {
        const p = this.policy(input.PolicyArn);
        const v = p.versions.find(x => x.VersionId === input.VersionId);
        if (!v)
          throw new NoSuchEntityException({
            message: 'version not found',
            ...meta,
          });
        return {
          PolicyVersion: {
            ...v,
            IsDefaultVersion: v.VersionId === p.DefaultVersionId,
          },
        };
      }
      case 'ListPolicyVersions': {
        const p = this.policy(input.PolicyArn);
        return {
          Versions: p.versions.map(v => ({
            VersionId: v.VersionId,
            CreateDate: v.CreateDate,
            IsDefaultVersion: v.VersionId === p.DefaultVersionId,
          })),
          IsTruncated: false,
        };
      }
      case 'CreatePolicyVersion': {
        const p = this.policy(input.PolicyArn);
        if (p.versions.length >= 5) {
          throw new LimitExceededException({
            message: 'A managed policy can have up to 5 versions.',
            ...meta,
          });
        }
        const v = {
          VersionId: `v${p.nextVersion++}`,
          Document: iamEncode(input.PolicyDocument),
          CreateDate: this.now(),
        };
        p.versions.push(v);
        if (input.SetAsDefault) p.DefaultVersionId = v.VersionId;
        return {
          PolicyVersion: {
            VersionId: v.VersionId,
            IsDefaultVersion: !!input.SetAsDefault,
          },
        };
      }
      case 'DeletePolicyVersion': {
        const p = this.policy(input.PolicyArn);
        if (input.VersionId === p.DefaultVersionId) {
          throw new DeleteConflictException({
            message: 'Cannot delete the default version.',
            ...meta,
          });
        }
        p.versions = p.versions.filter(v => v.VersionId !== input.VersionId);
        return {};
      }
      case 'ListPolicyTags':
        return { Tags: this.policy(input.PolicyArn).Tags, IsTruncated: false };
      // IAM roles
      case 'GetRole':
        return { Role: this.roleView(this.role(input.RoleName)) };
      case 'CreateRole': {
        if (this.roles.has(input.RoleName)) {
          throw new EntityAlreadyExistsException({
            message: `Role with name ${input.RoleName} already exists.`,
            ...meta,
          });
        }
        const r: FakeRole = {
          RoleName: input.RoleName,
          Path: input.Path ?? '/',
          Arn: `arn:aws:iam::${FAKE_ACCOUNT}:role${input.Path ?? '/'}${
            input.RoleName
          }`,
          AssumeRolePolicyDocument: iamEncode(input.AssumeRolePolicyDocument),
          ...(input.PermissionsBoundary
            ? {
                PermissionsBoundary: {
                  PermissionsBoundaryType: 'Policy',
                  PermissionsBoundaryArn: input.PermissionsBoundary,
                },
              }
            : {}),
          Tags: input.Tags ?? [],
          attached: [],
        };
        this.roles.set(r.RoleName, r);
        return { Role: this.roleView(r) };
      }
      case 'UpdateAssumeRolePolicy':
        this.role(input.RoleName).AssumeRolePolicyDocument = iamEncode(
          input.PolicyDocument,
        );
        return {};
      case 'PutRolePermissionsBoundary':
        this.role(input.RoleName).PermissionsBoundary = {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: input.PermissionsBoundary,
        };
        return {};
      case 'TagRole': {
        const r = this.role(input.RoleName);
        for (const t of input.Tags as Tags) {
          r.Tags = [...r.Tags.filter(x => x.Key !== t.Key), t];
        }
        return {};
      }
      case 'ListRoleTags':
        return { Tags: this.role(input.RoleName).Tags, IsTruncated: false };
      case 'AttachRolePolicy': {
        const r = this.role(input.RoleName);
        if (!input.PolicyArn.startsWith('arn:aws:iam::aws:policy/'))
          this.policy(input.PolicyArn);
        if (!r.attached.includes(input.PolicyArn))
          r.attached.push(input.PolicyArn);
        return {};
      }
      case 'ListAttachedRolePolicies':
        return {
          AttachedPolicies: this.role(input.RoleName).attached.map(
            PolicyArn => ({ PolicyArn }),
          ),
          IsTruncated: false,
        };
      // EKS Pod Identity
      case 'ListPodIdentityAssociations':
        this.cluster(input.clusterName);
        return {
          associations: [...this.associations.values()]
            .filter(a => a.clusterName === input.clusterName)
            .filter(a => !input.namespace || a.namespace === input.namespace)
            .filter(
              a =>
                !input.serviceAccount ||
                a.serviceAccount === input.serviceAccount,
            )
            .map(({ roleArn: _r, tags: _t, ...summary }) => summary),
        };
      case 'DescribePodIdentityAssociation': {
        const a = this.associations.get(input.associationId);
        if (!a)
          throw new ResourceNotFoundException({
            message: 'association not found',
            ...meta,
          });
        return { association: a };
      }
      case 'CreatePodIdentityAssociation': {
        this.cluster(input.clusterName);
        const roleName = String(input.roleArn).split('/').pop()!;
        if (this.roleInvisibleForCreates > 0 || !this.roles.has(roleName)) {
          this.roleInvisibleForCreates = Math.max(
            0,
            this.roleInvisibleForCreates - 1,
          );
          throw new InvalidParameterException({
            message: `Role ${input.roleArn} does not exist.`,
            ...meta,
          });
        }
        const taken = [...this.associations.values()].find(
          a =>
            a.namespace === input.namespace &&
            a.serviceAccount === input.serviceAccount,
        );
        if (taken) {
          throw new ResourceInUseException({
            message: `Association already exists: ${taken.associationId}`,
            ...meta,
          });
        }
        const associationId = `a-fake${++this.seq}`;
        const a: FakeAssociation = {
          clusterName: input.clusterName,
          namespace: input.namespace,
          serviceAccount: input.serviceAccount,
          roleArn: input.roleArn,
          associationId,
          associationArn: `arn:aws:eks:${FAKE_REGION}:${FAKE_ACCOUNT}:podidentityassociation/${input.clusterName}/${associationId}`,
          tags: input.tags,
        };
        this.associations.set(associationId, a);
        return { association: a };
      }
      case 'UpdatePodIdentityAssociation': {
        const a = this.associations.get(input.associationId);
        if (!a)
          throw new ResourceNotFoundException({
            message: 'association not found',
            ...meta,
          });
        if (input.roleArn) a.roleArn = input.roleArn;
        return { association: a };
      }
      default:
        throw new Error(`FakeAws: ${command} is not implemented`);
    }
  }
}
