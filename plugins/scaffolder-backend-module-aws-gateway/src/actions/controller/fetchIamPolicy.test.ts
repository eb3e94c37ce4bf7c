import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import {
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import { createFetchIamPolicyAction } from './fetchIamPolicy';
import { examples } from './fetchIamPolicy.examples';

const REFERENCE = path.resolve(
  process.env.SHARED_DIR ?? path.resolve(__dirname, '../../../../../../shared'),
  'reference',
);

/** Serves <REFERENCE>/lbc-<version>-iam_policy.json at /<version>/iam_policy.json, plus broken answers. */
function startServer(): Promise<{
  server: http.Server;
  base: string;
  requests: string[];
}> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url!);
    const m = /^\/(v[\d.]+)\/iam_policy\.json$/.exec(req.url!);
    const file = m && path.join(REFERENCE, `lbc-${m[1]}-iam_policy.json`);
    if (m?.[1] === 'v9.9.9') {
      res.writeHead(200).end('<html>not json</html>');
    } else if (m?.[1] === 'v8.8.8') {
      res
        .writeHead(200)
        .end(
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow' }],
          }),
        );
    } else if (file && fs.existsSync(file)) {
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(fs.readFileSync(file));
    } else {
      res.writeHead(404).end('404: Not Found');
    }
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, requests });
    }),
  );
}

describe('aws-gateway:controller:fetch-iam-policy', () => {
  let peer: Awaited<ReturnType<typeof startServer>>;
  let workspace: string;

  beforeAll(async () => {
    peer = await startServer();
  });
  afterAll(() => new Promise(resolve => peer.server.close(resolve)));
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-policy-'));
    peer.requests.length = 0;
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  async function run(input: Record<string, any>, isDryRun = false) {
    const action = createFetchIamPolicyAction({
      guardrails: testGuardrails({
        controller: {
          policyUrlTemplate: `${peer.base}/{version}/iam_policy.json`,
        },
      }),
    });
    const ctx = testActionContext(input, {
      workspacePath: workspace,
      isDryRun,
    });
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('writes the published policy byte for byte and reports its sha256', async () => {
    const reference = fs.readFileSync(
      path.join(REFERENCE, 'lbc-v3.5.0-iam_policy.json'),
    );
    const outputs = await run({ version: 'v3.5.0' });
    expect(outputs).toEqual({
      path: 'iam_policy.json',
      sha256: createHash('sha256').update(reference).digest('hex'),
      url: `${peer.base}/v3.5.0/iam_policy.json`,
    });
    expect(fs.readFileSync(path.join(workspace, 'iam_policy.json'))).toEqual(
      reference,
    );
    expect(peer.requests).toEqual(['/v3.5.0/iam_policy.json']);
  });

  it.each([
    [
      'a tag without the v',
      { version: '3.5.0' },
      /^version: "3.5.0" must be a controller release tag matching/,
    ],
    [
      'a branch name',
      { version: 'main' },
      /^version: "main" must be a controller release tag/,
    ],
    [
      'a path in the version',
      { version: 'v1.0.0/../../x' },
      /^version: ".*" must be a controller release tag/,
    ],
    [
      'a target outside the workspace',
      { version: 'v3.5.0', targetPath: '../x.json' },
      /^targetPath: "..\/x.json" must stay inside the workspace/,
    ],
  ])('refuses %s before any request', async (...[, input, message]) => {
    await expect(run(input)).rejects.toThrow(message);
    expect(peer.requests).toEqual([]);
  });

  it('reports a missing release with the HTTP status', async () => {
    await expect(run({ version: 'v0.0.1' })).rejects.toMatchObject({
      name: 'ResponseError',
      message: expect.stringMatching(/404/),
    });
  });

  it('refuses an answer that is not JSON or not a policy document, writing nothing', async () => {
    await expect(run({ version: 'v9.9.9' })).rejects.toThrow(
      /^version: .* did not return JSON/,
    );
    await expect(run({ version: 'v8.8.8' })).rejects.toThrow(
      /^version: .* did not return an IAM policy document: Statement\[0\] needs Action or NotAction/,
    );
    expect(fs.readdirSync(workspace)).toEqual([]);
  });

  it('refuses a template that is not https or loopback at startup', () => {
    expect(() =>
      testGuardrails({
        controller: {
          policyUrlTemplate: 'http://example.com/{version}/p.json',
        },
      }),
    ).toThrow(/controller.policyUrlTemplate must be an https URL/);
    expect(() =>
      testGuardrails({
        controller: { policyUrlTemplate: 'https://example.com/p.json' },
      }),
    ).toThrow(/containing \{version\}/);
  });

  it('runs every example', async () => {
    for (const example of examples) {
      const input = yaml.parse(example.example).steps[0].input;
      const outputs = await run(input);
      expect(outputs.path).toBe(input.targetPath ?? 'iam_policy.json');
      expect(fs.existsSync(path.join(workspace, outputs.path))).toBe(true);
    }
  });
});
