/**
 * Contract: EKS Pod Identity associations through the real @aws-sdk/client-eks
 * against the single AWS endpoint. moto lacks these APIs, so this exercises
 * OUR emulator (test/peers/pod-identity-emulator.ts) in front of moto's EKS
 * clusters -- the one place where the AWS peer is ours.
 */
import {
  CreateClusterCommand,
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  ListPodIdentityAssociationsCommand,
  paginateListPodIdentityAssociations,
  UpdatePodIdentityAssociationCommand,
} from '@aws-sdk/client-eks';
import { awsClientConfig, createNetwork, resetAws } from '../peers';

const ROLE = 'arn:aws:iam::123456789012:role/lbc';
const ROLE2 = 'arn:aws:iam::123456789012:role/lbc-2';

describe('EKS Pod Identity associations (emulator in front of moto)', () => {
  let eks: EKSClient;
  const cluster = 'contract';

  beforeAll(async () => {
    await resetAws();
    eks = new EKSClient(awsClientConfig());
    const net = await createNetwork(cluster);
    await eks.send(
      new CreateClusterCommand({
        name: cluster,
        roleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
        resourcesVpcConfig: { subnetIds: net.subnetIds },
      }),
    );
  });
  afterAll(() => eks.destroy());

  it('proxies every other EKS call to moto (one endpoint)', async () => {
    const c = await eks.send(new DescribeClusterCommand({ name: cluster }));
    expect(c.cluster?.arn).toBe(
      `arn:aws:eks:us-west-2:123456789012:cluster/${cluster}`,
    );
  });

  it('creates, describes, lists, updates and deletes an association', async () => {
    const created = await eks.send(
      new CreatePodIdentityAssociationCommand({
        clusterName: cluster,
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
        roleArn: ROLE,
        tags: { team: 'platform' },
      }),
    );
    const a = created.association!;
    expect(a).toMatchObject({
      clusterName: cluster,
      namespace: 'kube-system',
      serviceAccount: 'aws-load-balancer-controller',
      roleArn: ROLE,
      tags: { team: 'platform' },
      disableSessionTags: false,
    });
    expect(a.associationId).toMatch(/^a-[a-z0-9]{17}$/);
    expect(a.associationArn).toBe(
      `arn:aws:eks:us-west-2:123456789012:podidentityassociation/${cluster}/${a.associationId}`,
    );
    expect(a.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(a.createdAt!.getTime() - Date.now())).toBeLessThan(60_000);

    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({
        clusterName: cluster,
        associationId: a.associationId,
      }),
    );
    expect(described.association).toEqual(a);

    const listed = await eks.send(
      new ListPodIdentityAssociationsCommand({
        clusterName: cluster,
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
      }),
    );
    expect(listed.associations).toEqual([
      {
        clusterName: cluster,
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
        associationArn: a.associationArn,
        associationId: a.associationId,
      },
    ]);
    const other = await eks.send(
      new ListPodIdentityAssociationsCommand({
        clusterName: cluster,
        namespace: 'default',
      }),
    );
    expect(other.associations).toEqual([]);

    await new Promise(r => setTimeout(r, 20));
    const updated = await eks.send(
      new UpdatePodIdentityAssociationCommand({
        clusterName: cluster,
        associationId: a.associationId,
        roleArn: ROLE2,
      }),
    );
    expect(updated.association?.roleArn).toBe(ROLE2);
    expect(updated.association!.modifiedAt!.getTime()).toBeGreaterThan(
      a.createdAt!.getTime(),
    );

    const deleted = await eks.send(
      new DeletePodIdentityAssociationCommand({
        clusterName: cluster,
        associationId: a.associationId,
      }),
    );
    expect(deleted.association?.associationId).toBe(a.associationId);
    await expect(
      eks.send(
        new DescribePodIdentityAssociationCommand({
          clusterName: cluster,
          associationId: a.associationId,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a second association for the same namespace/service account (ResourceInUseException)', async () => {
    const input = {
      clusterName: cluster,
      namespace: 'apps',
      serviceAccount: 'worker',
      roleArn: ROLE,
    };
    await eks.send(new CreatePodIdentityAssociationCommand(input));
    await expect(
      eks.send(
        new CreatePodIdentityAssociationCommand({ ...input, roleArn: ROLE2 }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('answers ResourceNotFoundException for an unknown cluster', async () => {
    await expect(
      eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: 'no-such-cluster',
          namespace: 'a',
          serviceAccount: 'b',
          roleArn: ROLE,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      eks.send(
        new ListPodIdentityAssociationsCommand({
          clusterName: 'no-such-cluster',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('answers InvalidParameterException for a role ARN that is not one', async () => {
    await expect(
      eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: cluster,
          namespace: 'a',
          serviceAccount: 'b',
          roleArn: 'lbc-role',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('paginates with maxResults/nextToken', async () => {
    for (const sa of ['p1', 'p2', 'p3']) {
      await eks.send(
        new CreatePodIdentityAssociationCommand({
          clusterName: cluster,
          namespace: 'paged',
          serviceAccount: sa,
          roleArn: ROLE,
        }),
      );
    }
    const pages: string[][] = [];
    for await (const page of paginateListPodIdentityAssociations(
      { client: eks, pageSize: 2 },
      { clusterName: cluster, namespace: 'paged' },
    )) {
      pages.push(page.associations!.map(x => x.serviceAccount!));
    }
    expect(pages).toEqual([['p1', 'p2'], ['p3']]);
  });
});
