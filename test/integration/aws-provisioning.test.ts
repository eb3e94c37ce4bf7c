/**
 * Integration: the provisioning actions (fetch the controller's IAM policy,
 * ensure policy, ensure Pod Identity role, ensure Pod Identity association)
 * against moto + the Pod Identity emulator, through the real
 * DefaultAwsClientFactory (credentials from integration-aws-node config, the
 * endpoint from the SDK's standard AWS_ENDPOINT_URL). Every command is counted
 * by a middleware added through the factory's `instrument` hook.
 */
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CreateClusterCommand,
  DescribePodIdentityAssociationCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  MANAGED_TAG_KEY,
  MANAGED_TAG_VALUE,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  DefaultAwsClientFactory,
  decodeIamPolicyDocument,
  podIdentityTrustPolicy,
  policyDocumentsEqual,
} from '@gateway-portal/plugin-aws-gateway-node';
import {
  AwsGuardrails,
  createEnsurePodIdentityAssociationAction,
  createEnsurePodIdentityRoleAction,
  createEnsurePolicyAction,
  createFetchIamPolicyAction,
} from '@gateway-portal/plugin-scaffolder-backend-module-aws-gateway';
import {
  awsAccountsConfig,
  awsClientConfig,
  awsPeer,
  createNetwork,
  observeAwsCalls,
  referencePath,
  resetAws,
} from '../peers';
import { runAction } from './support/actionRun';

const MUTATING = /^(Create|Update|Put|Attach|Detach|Tag|Untag|Delete|Set)/;
const CLUSTER = 'provisioning';

/** The reference policy served from loopback, as the raw GitHub URL would. */
function servePolicy(): Promise<{ server: http.Server; template: string }> {
  const server = http.createServer((req, res) => {
    const m = /^\/(v[\d.]+)\/iam_policy\.json$/.exec(req.url ?? '');
    const file = m && referencePath(`lbc-${m[1]}-iam_policy.json`);
    if (file && fs.existsSync(file))
      res.writeHead(200).end(fs.readFileSync(file));
    else res.writeHead(404).end();
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        template: `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/{version}/iam_policy.json`,
      }),
    ),
  );
}

describe('AWS provisioning actions against moto + the Pod Identity emulator', () => {
  let policyServer: Awaited<ReturnType<typeof servePolicy>>;
  let workspace: string;
  let commands: string[];
  let iam: IAMClient;
  let eks: EKSClient;
  const savedEndpoint = process.env.AWS_ENDPOINT_URL;

  const mutating = () => commands.filter(c => MUTATING.test(c));

  function actions(provisioning: Record<string, any> = {}) {
    const aws = awsPeer();
    const { iam: iamOverrides, podIdentity, ...rest } = provisioning;
    const config = new ConfigReader({
      // The portal reads the policy mirror through its UrlReaderService.
      backend: {
        reading: { allow: [{ host: new URL(policyServer.template).host }] },
      },
      aws: awsAccountsConfig(aws),
      awsGateway: {
        provisioning: {
          allowedAccountIds: [aws.accountId],
          allowedRegions: [aws.region],
          allowedClusters: [CLUSTER],
          controller: { policyUrlTemplate: policyServer.template },
          ...rest,
          iam: { tags: { team: 'platform' }, ...iamOverrides },
          podIdentity: { ...podIdentity },
        },
      },
    });
    const awsClients = DefaultAwsClientFactory.fromConfig(config, {
      maxAttempts: 1,
      instrument: client =>
        observeAwsCalls(client, 'countCommands', operation => {
          commands.push(operation);
        }),
    });
    const guardrails = AwsGuardrails.fromConfig(config);
    return {
      fetchPolicy: createFetchIamPolicyAction({
        guardrails,
        reader: UrlReaders.default({
          config,
          logger: mockServices.logger.mock(),
        }),
      }),
      ensurePolicy: createEnsurePolicyAction({ awsClients, guardrails }),
      ensureRole: createEnsurePodIdentityRoleAction({ awsClients, guardrails }),
      ensureAssociation: createEnsurePodIdentityAssociationAction({
        awsClients,
        guardrails,
        retry: { baseDelayMs: 50, maxDelayMs: 200 },
      }),
    };
  }

  async function run<TContext>(
    action: { handler(ctx: TContext): Promise<void> },
    input: JsonObject,
  ): Promise<Record<string, any>> {
    return (await runAction(action, input, { workspacePath: workspace }))
      .outputs;
  }

  beforeAll(async () => {
    process.env.AWS_ENDPOINT_URL = awsPeer().endpoint;
    policyServer = await servePolicy();
    iam = new IAMClient(awsClientConfig());
    eks = new EKSClient(awsClientConfig());
  });
  afterAll(async () => {
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = savedEndpoint;
    iam.destroy();
    eks.destroy();
    await new Promise(resolve => policyServer.server.close(resolve));
  });

  beforeEach(async () => {
    await resetAws();
    const net = await createNetwork(CLUSTER);
    await eks.send(
      new CreateClusterCommand({
        name: CLUSTER,
        roleArn: `arn:aws:iam::${awsPeer().accountId}:role/eks-cluster`,
        resourcesVpcConfig: { subnetIds: net.subnetIds },
      }),
    );
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'provisioning-'));
    commands = [];
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  async function provisionAll(a = actions()) {
    const { accountId, region } = awsPeer();
    await run(a.fetchPolicy, { version: 'v3.5.0' });
    const policy = await run(a.ensurePolicy, {
      accountId,
      region,
      name: 'backstage-aws-load-balancer-controller',
      documentPath: 'iam_policy.json',
    });
    const role = await run(a.ensureRole, {
      accountId,
      region,
      cluster: CLUSTER,
      roleName: 'backstage-aws-load-balancer-controller',
      policyArns: [policy.policyArn],
    });
    const association = await run(a.ensureAssociation, {
      accountId,
      region,
      cluster: CLUSTER,
      roleArn: role.roleArn,
    });
    return { policy, role, association };
  }

  it('creates everything, then a re-run makes zero mutating AWS calls', async () => {
    const { accountId } = awsPeer();
    const first = await provisionAll();
    expect(mutating()).toEqual([
      'CreatePolicy',
      'CreateRole',
      'AttachRolePolicy',
      'CreatePodIdentityAssociation',
    ]);
    expect(first.policy).toEqual({
      policyArn: `arn:aws:iam::${accountId}:policy/backstage/backstage-aws-load-balancer-controller`,
      changed: true,
      versionId: 'v1',
    });
    expect(first.role).toEqual({
      roleArn: `arn:aws:iam::${accountId}:role/backstage/backstage-aws-load-balancer-controller`,
      roleName: 'backstage-aws-load-balancer-controller',
      changed: true,
    });
    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({
        clusterName: CLUSTER,
        associationId: first.association.associationId,
      }),
    );
    expect(described.association).toMatchObject({
      namespace: 'kube-system',
      serviceAccount: 'aws-load-balancer-controller',
      roleArn: first.role.roleArn,
    });

    commands = [];
    const second = await provisionAll();
    expect(mutating()).toEqual([]);
    expect(commands.length).toBeGreaterThan(0);
    expect(second.policy.changed).toBe(false);
    expect(second.role.changed).toBe(false);
    expect(second.association).toEqual({
      ...first.association,
      changed: false,
    });
  });

  it('creates a new default version for a changed document and keeps at most five versions', async () => {
    const { accountId } = awsPeer();
    const a = actions();
    const ensure = (i: number) =>
      run(a.ensurePolicy, {
        accountId,
        name: 'backstage-versions',
        document: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: `ec2:DescribeTags${i}`, Resource: '*' },
          ],
        },
      });
    await ensure(0);
    const changed = await ensure(1);
    expect(changed).toMatchObject({ changed: true, versionId: 'v2' });
    for (let i = 2; i <= 7; i++) await ensure(i);
    const versions = await iam.send(
      new ListPolicyVersionsCommand({ PolicyArn: changed.policyArn }),
    );
    expect(versions.Versions!.length).toBeLessThanOrEqual(5);
    expect(versions.Versions!.find(v => v.IsDefaultVersion)!.VersionId).toBe(
      'v8',
    );
    expect(commands.filter(c => c === 'DeletePolicyVersion').length).toBe(3);
  });

  it('refuses to modify an existing role it did not create', async () => {
    const { accountId } = awsPeer();
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'backstage-someone-elses',
        Path: '/backstage/',
        AssumeRolePolicyDocument: JSON.stringify(podIdentityTrustPolicy()),
      }),
    );
    await expect(
      run(actions().ensureRole, {
        accountId,
        cluster: CLUSTER,
        roleName: 'backstage-someone-elses',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^roleName: .*not created by this plugin.*allowAdoptingExistingRoles/,
      ),
    });
    expect(mutating()).toEqual([]);
  });

  it('repairs the drifted trust policy of a role it created', async () => {
    const { accountId } = awsPeer();
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'backstage-drifted',
        Path: '/backstage/',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'ec2.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
        Tags: [
          { Key: MANAGED_TAG_KEY, Value: MANAGED_TAG_VALUE },
          { Key: 'team', Value: 'platform' },
        ],
      }),
    );
    const out = await run(actions().ensureRole, {
      accountId,
      cluster: CLUSTER,
      roleName: 'backstage-drifted',
    });
    expect(out.changed).toBe(true);
    expect(mutating()).toEqual(['UpdateAssumeRolePolicy']);
    const role = await iam.send(
      new GetRoleCommand({ RoleName: 'backstage-drifted' }),
    );
    expect(
      policyDocumentsEqual(
        decodeIamPolicyDocument(role.Role!.AssumeRolePolicyDocument!),
        podIdentityTrustPolicy({
          accountId,
          clusterName: CLUSTER,
          namespace: 'kube-system',
          serviceAccount: 'aws-load-balancer-controller',
        }),
      ),
    ).toBe(true);
    commands = [];
    await run(actions().ensureRole, {
      accountId,
      cluster: CLUSTER,
      roleName: 'backstage-drifted',
    });
    expect(mutating()).toEqual([]);
  });

  it('refuses an association with another role unless configuration allows replacing it', async () => {
    const { accountId, region } = awsPeer();
    const first = await provisionAll();
    const other = await run(actions().ensureRole, {
      accountId,
      cluster: CLUSTER,
      roleName: 'backstage-other',
    });
    commands = [];
    await expect(
      run(actions().ensureAssociation, {
        accountId,
        region,
        cluster: CLUSTER,
        roleArn: other.roleArn,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `uses role ${first.role.roleArn}, not the requested ${other.roleArn}`,
      ),
    });
    expect(mutating()).toEqual([]);

    const replaced = await run(
      actions({ podIdentity: { allowReplacingAssociationRole: true } })
        .ensureAssociation,
      {
        accountId,
        region,
        cluster: CLUSTER,
        roleArn: other.roleArn,
      },
    );
    expect(replaced).toEqual({ ...first.association, changed: true });
    expect(mutating()).toEqual(['UpdatePodIdentityAssociation']);
    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({
        clusterName: CLUSTER,
        associationId: first.association.associationId,
      }),
    );
    expect(described.association!.roleArn).toBe(other.roleArn);
  });

  it('surfaces MalformedPolicyDocument from IAM as a clear input error', async () => {
    const { accountId } = awsPeer();
    await expect(
      run(actions().ensurePolicy, {
        accountId,
        name: 'backstage-malformed',
        // Well formed JSON and structure; IAM refuses the action without a service prefix.
        document: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'DescribeVpcs', Resource: '*' },
          ],
        },
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^document: IAM rejected the policy document \(MalformedPolicyDocument\): .+/,
      ),
    });
    expect(mutating()).toEqual(['CreatePolicy']);
  });
});
