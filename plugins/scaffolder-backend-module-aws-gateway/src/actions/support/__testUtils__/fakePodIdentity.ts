/**
 * The EKS Pod Identity half of the unit tests' AWS fake: associations per
 * cluster, answered from memory with EKS's own exception classes. (The peer
 * tests use the Pod Identity emulator in test/peers instead, in front of moto.)
 */
import {
  InvalidParameterException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import {
  FAKE_ACCOUNT,
  FAKE_CLUSTER,
  FAKE_REGION,
  meta,
} from './fakeAwsConstants';

export interface FakeAssociation {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn: string;
  associationId: string;
  tags?: Record<string, string>;
}

export class FakePodIdentity {
  readonly associations = new Map<string, FakeAssociation>();
  readonly clusters = new Set<string>([FAKE_CLUSTER]);
  /** Create calls EKS answers with "role not found" before it sees a new role. */
  roleInvisibleForCreates = 0;
  private seq = 0;

  /** `roleExists`: whether IAM has the role, as EKS sees it. */
  constructor(private readonly roleExists: (roleName: string) => boolean) {}

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

  private cluster(name: string) {
    if (!this.clusters.has(name)) {
      throw new ResourceNotFoundException({
        message: `No cluster found for name: ${name}.`,
        ...meta,
      });
    }
  }

  /** EKS's answer to `command`, or undefined when it is no Pod Identity command. */
  handle(command: string, input: any): object | undefined {
    switch (command) {
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
        if (this.roleInvisibleForCreates > 0 || !this.roleExists(roleName)) {
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
        return undefined;
    }
  }
}
