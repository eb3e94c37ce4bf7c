/**
 * The IAM half of the unit tests' AWS fake: customer managed policies and
 * roles, answered from memory with IAM's own exception classes.
 */
import {
  DeleteConflictException,
  EntityAlreadyExistsException,
  LimitExceededException,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { FAKE_ACCOUNT, meta } from './fakeAwsConstants';

export type Tags = Array<{ Key?: string; Value?: string }>;

interface FakePolicyVersion {
  VersionId: string;
  Document: string;
  CreateDate: Date;
}
export interface FakePolicy {
  Arn: string;
  PolicyName: string;
  Path: string;
  DefaultVersionId: string;
  Tags: Tags;
  versions: FakePolicyVersion[];
  nextVersion: number;
}
export interface FakeRole {
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

export class FakeIam {
  readonly policies = new Map<string, FakePolicy>();
  readonly roles = new Map<string, FakeRole>();
  private clock = Date.UTC(2026, 0, 1);

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

  private policyView(p: FakePolicy) {
    const { versions: _v, nextVersion: _n, ...rest } = p;
    return { ...rest, Tags: p.Tags.length ? p.Tags : undefined };
  }

  private roleView(r: FakeRole) {
    const { attached: _a, ...rest } = r;
    return rest;
  }

  /** IAM's answer to `command`, or undefined when it is no IAM command. */
  handle(command: string, input: any): object | undefined {
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
      default:
        return undefined;
    }
  }
}
