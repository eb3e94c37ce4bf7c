/**
 * Contract: the AWS peer keeps connections alive as AWS does, so the SDK's
 * keep-alive agent opens one connection per concurrent call, not one per call
 * (moto_server's own werkzeug server closed every connection: each call paid
 * a TCP connection it does not pay against AWS, in the status benchmark too).
 * Directly (the benchmark's moto) and through the Pod Identity emulator (the
 * endpoint every test's clients use).
 */
import http from 'node:http';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsClientConfig, awsPeer } from '../peers';

/** A keep-alive agent that counts the connections it opens. */
class CountingAgent extends http.Agent {
  opened = 0;
  constructor() {
    super({ keepAlive: true });
  }
  createConnection(
    ...args: Parameters<http.Agent['createConnection']>
  ): ReturnType<http.Agent['createConnection']> {
    this.opened++;
    return super.createConnection(...args);
  }
}

const CONCURRENT = 5;
const ROUNDS = 3;
const SEQUENTIAL = 15;
/** Linux's shortest delayed ACK. */
const DELAYED_ACK_MS = 40;

/** A plain HTTP/1.1 exchange on one agent: status, whether its socket was reused, the body. */
function exchange(
  agent: http.Agent,
  url: string,
  options: { method?: string; chunks?: string[] } = {},
): Promise<{ status: number; reused: boolean; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { agent, method: options.method ?? 'GET' },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, reused: req.reusedSocket, body }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${url}: no answer`)));
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('AWS peer connections (keep-alive, as AWS)', () => {
  const endpoints = [
    ['moto', () => awsPeer().motoEndpoint],
    ['the Pod Identity emulator in front of moto', () => awsPeer().endpoint],
  ] as const;

  it.each(endpoints)(
    'the SDK reuses one connection per concurrent call (%s)',
    async (_name, endpoint) => {
      const agent = new CountingAgent();
      const elbv2 = new ElasticLoadBalancingV2Client({
        ...awsClientConfig(),
        endpoint: endpoint(),
        // The SDK's NodeHttpHandler built on this agent (its options form).
        requestHandler: { httpAgent: agent },
      });
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const answers = await Promise.all(
            Array.from({ length: CONCURRENT }, () =>
              elbv2.send(new DescribeLoadBalancersCommand({})),
            ),
          );
          expect(answers.every(a => Array.isArray(a.LoadBalancers))).toBe(true);
        }
        expect(agent.opened).toBe(CONCURRENT);
      } finally {
        elbv2.destroy();
        agent.destroy();
      }
    },
  );

  it("answers a kept-alive connection's calls one after another without waiting for delayed ACKs", async () => {
    // With Nagle's algorithm on, an answer's body waits for the client's
    // delayed ACK of its head: every call of a reused connection then takes
    // 40 ms or more, however fast moto is.
    const agent = new CountingAgent();
    const elbv2 = new ElasticLoadBalancingV2Client({
      ...awsClientConfig(),
      endpoint: awsPeer().motoEndpoint,
      requestHandler: { httpAgent: agent },
    });
    try {
      const took: number[] = [];
      for (let i = 0; i < SEQUENTIAL; i++) {
        const start = performance.now();
        await elbv2.send(new DescribeLoadBalancersCommand({}));
        took.push(performance.now() - start);
      }
      expect(agent.opened).toBe(1);
      const median = [...took].sort((a, b) => a - b)[
        Math.floor(SEQUENTIAL / 2)
      ];
      expect(median).toBeLessThan(DELAYED_ACK_MS);
    } finally {
      elbv2.destroy();
      agent.destroy();
    }
  });

  it('a connection goes on after a chunked body the app did not read', async () => {
    const agent = new CountingAgent();
    const moto = awsPeer().motoEndpoint;
    try {
      const first = await exchange(agent, `${moto}/moto-api/data.json`);
      expect(first).toMatchObject({ status: 200, reused: false });
      // moto's state dump reads no body: the server must still consume it
      // (two chunks), or the next request would start inside it.
      const unread = await exchange(agent, `${moto}/moto-api/data.json`, {
        method: 'POST',
        chunks: ['x'.repeat(4096), 'y'.repeat(100)],
      });
      expect(unread).toMatchObject({ status: 200, reused: true });
      const after = await exchange(agent, `${moto}/moto-api/data.json`);
      expect(after).toMatchObject({ status: 200, reused: true });
      expect(JSON.parse(after.body)).toEqual(expect.any(Object));
      expect(agent.opened).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
