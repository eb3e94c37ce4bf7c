import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { referenceDir } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import yaml from 'yaml';
import {
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import {
  createFetchIamPolicyAction,
  FetchIamPolicySettings,
  PINNED_POLICY_SHA256,
} from './fetchIamPolicy';
import { examples } from './fetchIamPolicy.examples';

const REFERENCE = referenceDir();

/**
 * A loopback HTTP server playing the policy host: serves
 * <REFERENCE>/lbc-<version>-iam_policy.json at /<version>/iam_policy.json,
 * plus broken, hostile and stalled answers on other paths.
 */
function startServer(other?: () => string): Promise<{
  server: http.Server;
  base: string;
  requests: string[];
  endlessBytes: { sent: number };
}> {
  const requests: string[] = [];
  const endlessBytes = { sent: 0 };
  const server = http.createServer((req, res) => {
    requests.push(req.url!);
    const m = /^\/(v[\d.]+)\/iam_policy\.json$/.exec(req.url!);
    const file = m && path.join(REFERENCE, `lbc-${m[1]}-iam_policy.json`);
    const version = m?.[1];
    if (version === 'v9.9.9') {
      res.writeHead(200).end('<html>not json</html>');
    } else if (version === 'v8.8.8') {
      res.writeHead(200).end(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow' }],
        }),
      );
    } else if (version === 'v6.6.6') {
      // An endless body: only a streamed cap can refuse it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk))
          endlessBytes.sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else if (version === 'v5.5.5') {
      // Stalled: headers never come.
    } else if (version === 'v4.4.4') {
      res.writeHead(302, { location: other?.() ?? '/' }).end();
    } else if (version === 'v4.4.5') {
      res.writeHead(301, { location: '/v3.5.0/iam_policy.json' }).end();
    } else if (version === 'v4.4.6') {
      res.writeHead(302, { location: '/v4.4.6/iam_policy.json' }).end();
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
      resolve({
        server,
        base: `http://127.0.0.1:${port}`,
        requests,
        endlessBytes,
      });
    }),
  );
}

describe('aws-gateway:controller:fetch-iam-policy', () => {
  let peer: Awaited<ReturnType<typeof startServer>>;
  let workspace: string;

  beforeAll(async () => {
    peer = await startServer();
  });
  afterAll(() => {
    peer.server.closeAllConnections();
    return new Promise(resolve => peer.server.close(resolve));
  });
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-policy-'));
    peer.requests.length = 0;
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const SETTINGS: FetchIamPolicySettings = {
    allowUnpinnedVersions: false,
    maxBytes: 256 * 1024,
    timeoutMs: 2000,
  };

  /** The backend's real UrlReaderService, allowed to read the given hosts only. */
  function readerAllowing(...bases: string[]) {
    return UrlReaders.default({
      config: new ConfigReader({
        backend: {
          reading: { allow: bases.map(base => ({ host: new URL(base).host })) },
        },
      }),
      logger: mockServices.logger.mock(),
    });
  }

  async function run(
    input: Record<string, any>,
    options: {
      isDryRun?: boolean;
      settings?: Partial<FetchIamPolicySettings>;
      base?: string;
      /** Hosts backend.reading.allow lists; default: the policy host. */
      readable?: string[];
      signal?: AbortSignal;
    } = {},
  ) {
    const base = options.base ?? peer.base;
    const action = createFetchIamPolicyAction({
      guardrails: testGuardrails({
        controller: {
          policyUrlTemplate: `${base}/{version}/iam_policy.json`,
        },
      }),
      reader: readerAllowing(...(options.readable ?? [base])),
      settings: { ...SETTINGS, ...options.settings },
    });
    const ctx = testActionContext(input, {
      workspacePath: workspace,
      isDryRun: options.isDryRun,
    });
    if (options.signal) Object.assign(ctx, { signal: options.signal });
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
      pinned: true,
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

  const unpinned = { settings: { allowUnpinnedVersions: true } };

  it('pins the published digests: the constants are the sha256 of the released files', () => {
    for (const [version, digest] of Object.entries(PINNED_POLICY_SHA256)) {
      const file = fs.readFileSync(
        path.join(REFERENCE, `lbc-${version}-iam_policy.json`),
      );
      expect(createHash('sha256').update(file).digest('hex')).toBe(digest);
    }
    expect(Object.keys(PINNED_POLICY_SHA256).sort()).toEqual([
      'v2.17.1',
      'v3.5.0',
    ]);
  });

  it('refuses a version without a pinned digest before any request, unless configuration allows it', async () => {
    await expect(run({ version: 'v3.4.0' })).rejects.toThrow(
      'version: "v3.4.0" has no pinned policy digest (known: v2.17.1, v3.5.0); configuration must allow unpinned versions (awsGateway.provisioning.controller.allowUnpinnedPolicyVersions) [policy-version-not-pinned]',
    );
    expect(peer.requests).toEqual([]);
    await expect(run({ version: 'v3.4.0' }, unpinned)).rejects.toThrow(
      /answered HTTP 404/,
    );
  });

  it('refuses a pinned version whose served document does not match its digest, writing nothing', async () => {
    // A host (a compromised mirror, a moved tag) serving an admin policy for a pinned release.
    const server = http.createServer((_req, res) => {
      const body = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      });
      res.writeHead(200).end(body);
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(run({ version: 'v3.5.0' }, { base })).rejects.toThrow(
        new RegExp(
          `^version: the policy served at ${base}/v3.5.0/iam_policy.json has sha256 [0-9a-f]{64}, not the ${PINNED_POLICY_SHA256['v3.5.0']} published for v3.5.0; refusing it \\[policy-digest-mismatch\\]$`,
        ),
      );
      expect(fs.readdirSync(workspace)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('follows a redirect within backend.reading.allow, and refuses one elsewhere without calling it', async () => {
    const outputs = await run({ version: 'v4.4.5' }, unpinned);
    expect(outputs).toMatchObject({
      pinned: false,
      sha256: PINNED_POLICY_SHA256['v3.5.0'],
    });
    expect(peer.requests).toEqual([
      '/v4.4.5/iam_policy.json',
      '/v3.5.0/iam_policy.json',
    ]);
    fs.rmSync(path.join(workspace, outputs.path));

    const elsewhere = await startServer();
    peer.requests.length = 0;
    try {
      // localhost is another host than 127.0.0.1, though the same machine.
      const target = elsewhere.base.replace('127.0.0.1', 'localhost');
      const redirecting = await startServer(
        () => `${target}/v3.5.0/iam_policy.json`,
      );
      try {
        await expect(
          run({ version: 'v4.4.4' }, { ...unpinned, base: redirecting.base }),
        ).rejects.toThrow(
          `version: ${redirecting.base}/v4.4.4/iam_policy.json could not be read: it answered an error, redirected to a host backend.reading.allow does not list, or redirected too often [policy-read-failed]`,
        );
        expect(elsewhere.requests).toEqual([]);
      } finally {
        redirecting.server.close();
      }
    } finally {
      elsewhere.server.close();
    }
    await expect(run({ version: 'v4.4.6' }, unpinned)).rejects.toThrow(
      '[policy-read-failed]',
    );
    expect(fs.readdirSync(workspace)).toEqual([]);
  });

  it('refuses a policy host that backend.reading.allow does not list, before any request', async () => {
    await expect(
      run({ version: 'v3.5.0' }, { readable: ['http://127.0.0.2:1'] }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `version: the portal may not read ${peer.base}: add its host to backend.reading.allow (or configure an integration for it) [policy-host-not-readable]`,
    });
    expect(peer.requests).toEqual([]);
  });

  it('refuses an endless body as soon as the byte cap is crossed, without buffering it', async () => {
    const started = Date.now();
    await expect(
      run(
        { version: 'v6.6.6' },
        { settings: { allowUnpinnedVersions: true, maxBytes: 64 * 1024 } },
      ),
    ).rejects.toThrow(
      `version: the policy at ${peer.base}/v6.6.6/iam_policy.json is larger than 65536 bytes`,
    );
    // The server never ends this body: only a streamed cap can refuse it, and quickly.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fs.readdirSync(workspace)).toEqual([]);
  });

  it("gives up on a stalled host at the deadline, and honours the task's cancellation", async () => {
    const started = Date.now();
    await expect(
      run(
        { version: 'v5.5.5' },
        { settings: { allowUnpinnedVersions: true, timeoutMs: 300 } },
      ),
    ).rejects.toThrow(
      `version: ${peer.base}/v5.5.5/iam_policy.json did not answer within 0.3 s; run the task again`,
    );
    expect(Date.now() - started).toBeLessThan(1500);
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    await expect(
      run({ version: 'v5.5.5' }, { ...unpinned, signal: cancel.signal }),
    ).rejects.toThrow('fetching the IAM policy was cancelled');
  });

  it('reports a missing release with the HTTP status', async () => {
    await expect(run({ version: 'v0.0.1' }, unpinned)).rejects.toThrow(
      `version: ${peer.base}/v0.0.1/iam_policy.json answered HTTP 404; is the version a published release?`,
    );
  });

  it('refuses an answer that is not JSON or not a policy document, writing nothing', async () => {
    await expect(run({ version: 'v9.9.9' }, unpinned)).rejects.toThrow(
      /^version: .* did not return JSON/,
    );
    await expect(run({ version: 'v8.8.8' }, unpinned)).rejects.toThrow(
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
