import yaml from 'yaml';
import { podIdentityTrustPolicy } from '@gateway-portal/plugin-aws-gateway-node';
import {
  FAKE_ACCOUNT,
  FAKE_CLUSTER,
  FAKE_REGION,
  FakeAws,
} from '../support/__testUtils__/fakeAws';
import {
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import { createEnsurePodIdentityAssociationAction } from './ensurePodIdentityAssociation';
import { examples } from './ensurePodIdentityAssociation.examples';

const role = (name: string) =>
  `arn:aws:iam::${FAKE_ACCOUNT}:role/backstage/${name}`;
const ROLE = role('backstage-lbc');
const OTHER = role('backstage-other');
const STATUS_SA = 'backstage/backstage';

describe('aws-gateway:eks:ensure-pod-identity-association', () => {
  let aws: FakeAws;
  /** The retry lines the action logged, as "attempt N, M left". */
  let retries: string[];

  beforeEach(() => {
    aws = new FakeAws();
    retries = [];
    for (const name of [
      'backstage-lbc',
      'backstage-other',
      'backstage-gateway-reader',
    ]) {
      aws.seedRole(name, '/backstage/', podIdentityTrustPolicy());
    }
  });

  function action(overrides: Record<string, any> = {}) {
    return createEnsurePodIdentityAssociationAction({
      awsClients: aws.clientFactory(),
      guardrails: testGuardrails(overrides),
      retry: {
        baseDelayMs: 1,
        maxDelayMs: 4,
        maxAttempts: 5,
      },
    });
  }

  async function run(
    input: Record<string, any>,
    overrides?: Record<string, any>,
  ) {
    const ctx = testActionContext({
      accountId: FAKE_ACCOUNT,
      region: FAKE_REGION,
      cluster: FAKE_CLUSTER,
      roleArn: ROLE,
      ...input,
    });
    jest.spyOn(ctx.logger, 'info').mockImplementation(message => {
      const retry =
        /attempt (\d+) failed, retrying \((\d+) attempts left\)$/.exec(message);
      if (retry) retries.push(`attempt ${retry[1]}, ${retry[2]} left`);
    });
    await action(overrides).handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('creates the association for the default service account', async () => {
    const outputs = await run({});
    expect(outputs.changed).toBe(true);
    expect(outputs.associationArn).toBe(
      `arn:aws:eks:${FAKE_REGION}:${FAKE_ACCOUNT}:podidentityassociation/${FAKE_CLUSTER}/${outputs.associationId}`,
    );
    const [a] = aws.associations.values();
    expect(a).toMatchObject({
      namespace: 'kube-system',
      serviceAccount: 'aws-load-balancer-controller',
      roleArn: ROLE,
    });
    expect(aws.mutatingCalls()).toEqual(['CreatePodIdentityAssociation']);
  });

  it('does nothing when the association already uses the role', async () => {
    const first = await run({});
    aws.calls.length = 0;
    const second = await run({});
    expect(second).toEqual({ ...first, changed: false });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('refuses to point an existing association at another role, naming both roles', async () => {
    const seeded = aws.seedAssociation(
      'kube-system',
      'aws-load-balancer-controller',
      OTHER,
    );
    await expect(run({})).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        new RegExp(
          `^roleArn: .*${seeded.associationId}.*uses role ${OTHER}, not the requested ${ROLE}.*allowReplacingAssociationRole`,
        ),
      ),
    });
    expect(aws.mutatingCalls()).toEqual([]);
  });

  it('updates the role when configuration allows replacing it', async () => {
    const seeded = aws.seedAssociation(
      'kube-system',
      'aws-load-balancer-controller',
      OTHER,
    );
    const outputs = await run(
      {},
      { podIdentity: { allowReplacingAssociationRole: true } },
    );
    expect(outputs).toEqual({
      associationArn: seeded.associationArn,
      associationId: seeded.associationId,
      changed: true,
    });
    expect(aws.mutatingCalls()).toEqual(['UpdatePodIdentityAssociation']);
    expect(seeded.roleArn).toBe(ROLE);
  });

  it('retries with exponential backoff while EKS does not see a new role', async () => {
    aws.roleInvisibleForCreates = 3;
    const outputs = await run({});
    expect(outputs.changed).toBe(true);
    expect(retries).toEqual([
      'attempt 1, 4 left',
      'attempt 2, 3 left',
      'attempt 3, 2 left',
    ]);
    expect(aws.mutatingCalls()).toEqual(
      Array(4).fill('CreatePodIdentityAssociation'),
    );
  });

  it('gives up after the bounded number of attempts with an error naming roleArn', async () => {
    aws.roleInvisibleForCreates = 100;
    await expect(run({})).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^roleArn: EKS still does not accept role .* after retrying/,
      ),
    });
    expect(retries).toHaveLength(4);
    expect(aws.mutatingCalls()).toEqual(
      Array(5).fill('CreatePodIdentityAssociation'),
    );
  });

  it('judges an association created concurrently instead of failing', async () => {
    let seeded: { associationId: string } | undefined;
    aws.beforeCall = command => {
      if (command === 'CreatePodIdentityAssociation' && !seeded) {
        seeded = aws.seedAssociation(
          'kube-system',
          'aws-load-balancer-controller',
          ROLE,
        );
      }
    };
    const outputs = await run({});
    expect(outputs).toMatchObject({
      associationId: seeded!.associationId,
      changed: false,
    });
    expect(aws.associations.size).toBe(1);
  });

  it('makes no AWS call in a dry run', async () => {
    const ctx = testActionContext(
      {
        accountId: FAKE_ACCOUNT,
        region: FAKE_REGION,
        cluster: FAKE_CLUSTER,
        roleArn: ROLE,
      },
      { isDryRun: true },
    );
    await action().handler(ctx);
    expect(aws.calls).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('changed', false);
  });

  describe('refuses bad input before any AWS call', () => {
    const cases: Array<[string, Record<string, any>, RegExp]> = [
      [
        'cluster not allowed',
        { cluster: 'prod' },
        /^cluster: "prod" is not allowed; .*allowedClusters/,
      ],
      [
        'malformed cluster name',
        { cluster: '-bad name' },
        /^cluster: "-bad name" must be an EKS cluster name/,
      ],
      [
        'malformed region',
        { region: 'Europe' },
        /^region: "Europe" must be an AWS region name/,
      ],
      [
        'service account not allowed',
        { namespace: 'default', serviceAccount: 'default' },
        /^serviceAccount: "default\/default" is not allowed; .*podIdentity.allowedServiceAccounts/,
      ],
      [
        'malformed namespace',
        { namespace: 'Kube_System' },
        /^serviceAccount \(namespace\): "Kube_System" must be a Kubernetes namespace name/,
      ],
      [
        'role of another account',
        { roleArn: 'arn:aws:iam::999999999999:role/backstage/backstage-x' },
        /^roleArn \(account\): "999999999999" is not allowed; .*allowedAccountIds/,
      ],
      [
        'role without the prefix',
        { roleArn: role('AdminRole') },
        /^roleArn \(name\): "AdminRole" must start with "backstage-"/,
      ],
      [
        'role outside the path',
        { roleArn: `arn:aws:iam::${FAKE_ACCOUNT}:role/backstage-x` },
        /^roleArn \(path\): "\/" must be at or under "\/backstage\/"/,
      ],
      [
        'not a role ARN',
        { roleArn: 'backstage-lbc' },
        /^roleArn: "backstage-lbc" must be an IAM role ARN/,
      ],
      [
        'replacing beyond configuration',
        { allowReplacingRole: true },
        /^allowReplacingRole: true is not allowed; it cannot exceed .*allowReplacingAssociationRole/,
      ],
    ];
    it.each(cases)('%s', async (...[, input, message]) => {
      await expect(run(input)).rejects.toThrow(message);
      expect(aws.calls).toEqual([]);
    });
  });

  it('runs every example', async () => {
    const overrides = {
      podIdentity: {
        allowedServiceAccounts: [
          'kube-system/aws-load-balancer-controller',
          STATUS_SA,
        ],
      },
    };
    for (const example of examples) {
      const input = yaml.parse(example.example).steps[0].input;
      if (input.roleArn.includes('${{')) input.roleArn = ROLE;
      const outputs = await run(input, overrides);
      expect(outputs.changed).toBe(true);
    }
    expect(aws.associations.size).toBe(examples.length);
  });
});
