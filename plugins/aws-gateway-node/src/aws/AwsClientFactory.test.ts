import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { classifyAwsError } from './awsErrors';
import { ConfigReader } from '@backstage/config';
import { eventually } from '../testUtils/eventually';
import { startStalledServer, StalledServer } from '../testUtils';
import { DefaultAwsClientFactory } from './AwsClientFactory';

const config = new ConfigReader({
  aws: {
    mainAccount: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  },
});

/**
 * One ELBv2 call against a stalled endpoint; how long it took and how it
 * ended, once the server has seen its `connections` (its attempts) and each
 * of them closed by the call itself.
 */
async function callStalled(
  server: StalledServer,
  factory: DefaultAwsClientFactory,
  connections: number,
  abortSignal?: AbortSignal,
) {
  process.env.AWS_ENDPOINT_URL = server.url;
  const client = await factory.elbv2({ region: 'us-west-2' });
  try {
    const started = Date.now();
    const error = await client
      .send(new DescribeLoadBalancersCommand({}), { abortSignal })
      .catch(e => e);
    const elapsedMs = Date.now() - started;
    // Before client.destroy(). The server may see a connection after the
    // client gave up on it (a stalled machine): awaited, not assumed.
    await eventually(() =>
      expect({ accepted: server.accepted(), open: server.open() }).toEqual({
        accepted: connections,
        open: 0,
      }),
    );
    return { error, elapsedMs };
  } finally {
    client.destroy();
  }
}

describe('DefaultAwsClientFactory', () => {
  const saved = process.env.AWS_ENDPOINT_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });

  it('ends a call to a stalled endpoint at the request timeout, with bounded attempts, and closes its sockets', async () => {
    const server = await startStalledServer();
    try {
      const factory = DefaultAwsClientFactory.fromConfig(config, {
        requestTimeoutMs: 300,
        maxAttempts: 2,
      });
      // Two attempts: two connections.
      const { error, elapsedMs } = await callStalled(server, factory, 2);
      expect(error.name).toMatch(/Timeout/);
      // Two attempts of 300 ms plus the SDK's backoff between them.
      expect(elapsedMs).toBeLessThan(3_000);
    } finally {
      await server.close();
    }
  });

  it('ends a call at once when its abortSignal fires', async () => {
    const server = await startStalledServer();
    try {
      const factory = DefaultAwsClientFactory.fromConfig(config);
      const { error, elapsedMs } = await callStalled(
        server,
        factory,
        1,
        AbortSignal.timeout(200),
      );
      expect(error.name).toBe('AbortError');
      expect(elapsedMs).toBeLessThan(2_000);
    } finally {
      await server.close();
    }
  });

  it('refuses targets that are not an account id and a region, before any lookup', async () => {
    const factory = DefaultAwsClientFactory.fromConfig(config);
    await expect(
      factory.elbv2({ region: 'evil.example.com/' }),
    ).rejects.toThrow(/not a region name/);
    await expect(
      factory.elbv2({ region: 'us-west-2', accountId: '12' }),
    ).rejects.toThrow(/not a 12-digit account id/);
    expect(factory.size).toBe(0);
  });

  it('keeps a bounded number of clients, least recently used dropped first', async () => {
    const factory = DefaultAwsClientFactory.fromConfig(config, {
      maxClients: 2,
    });
    const a = await factory.elbv2({ region: 'us-west-2' });
    await factory.elbv2({ region: 'eu-west-1' });
    // a is used again, so eu-west-1 is the least recently used.
    expect(await factory.elbv2({ region: 'us-west-2' })).toBe(a);
    await factory.elbv2({ region: 'eu-central-1' });
    expect(factory.size).toBe(2);
    expect(await factory.elbv2({ region: 'us-west-2' })).toBe(a);
  });

  it("takes the caller's principal and account out of every error AWS answers, keeping its kind, the action and the resource", async () => {
    // IAM's own wire format for a refused CreateRole (query protocol, 403).
    const message =
      'User: arn:aws:sts::123456789012:assumed-role/portal-provisioner/i-0abc123 is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/backstage/backstage-lbc-prod because no identity-based policy allows the iam:CreateRole action';
    const server = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${message}</Message></Error><RequestId>4d3c2b1a</RequestId></ErrorResponse>`,
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;
    const client = await DefaultAwsClientFactory.fromConfig(config).iam({});
    try {
      const error = await client
        .send(
          new CreateRoleCommand({
            RoleName: 'backstage-lbc-prod',
            Path: '/backstage/',
            AssumeRolePolicyDocument: '{}',
          }),
        )
        .catch(e => e);
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(classifyAwsError(error)).toBe('permission');
      expect(error.message).toBe(
        'the caller is not authorized to perform: iam:CreateRole on resource: role/backstage/backstage-lbc-prod because no identity-based policy allows the iam:CreateRole action',
      );
      // Nor anywhere a log or a serialised task error could show.
      for (const shown of [
        JSON.stringify(error),
        inspect(error, { depth: 5 }),
        String(error.stack),
      ])
        expect(shown).not.toMatch(
          /123456789012|assumed-role|portal-provisioner/,
        );
    } finally {
      client.destroy();
      await new Promise(r => server.close(r));
    }
  });
});
