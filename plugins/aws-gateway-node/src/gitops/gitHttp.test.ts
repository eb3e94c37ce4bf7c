import http from 'node:http';
import { AddressInfo } from 'node:net';
import { deadlineHttpClient, GitOperation } from './gitHttp';

/** A loopback server; `handle` decides each answer. */
async function serve(handle: http.RequestListener) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(
      `${req.method} ${req.url} ${req.headers.authorization ?? ''}`,
    );
    handle(req, res);
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const timeouts = { requestMs: 300, operationMs: 2000 };

describe('the git transport with deadlines', () => {
  it('never follows a redirect, so credentials cannot be sent to another host', async () => {
    const elsewhere = await serve((_req, res) => res.end('x'));
    const redirecting = await serve((_req, res) =>
      res.writeHead(302, { location: `${elsewhere.base}/steal` }).end(),
    );
    try {
      const client = deadlineHttpClient(
        new GitOperation('listing its branches', timeouts),
      );
      await expect(
        client.request({
          url: `${redirecting.base}/repo.git/info/refs?service=git-upload-pack`,
          headers: { authorization: 'Basic c2VjcmV0' },
        }),
      ).rejects.toThrow(
        "the GitOps repository answered listing its branches with a redirect (HTTP 302); redirects are not followed, configure the repository's final URL",
      );
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
      await redirecting.close();
    }
  });

  it('gives up when the headers do not come in time, naming the operation and not the server', async () => {
    const stalled = await serve(() => undefined);
    try {
      const client = deadlineHttpClient(
        new GitOperation('fetching the branch', timeouts),
      );
      const started = Date.now();
      const error = await client
        .request({
          url: `${stalled.base}/repo.git/git-upload-pack`,
          method: 'POST',
        })
        .catch(e => e);
      expect(error.message).toBe(
        'the GitOps repository did not answer in time (fetching the branch: no response within 0.3 s)',
      );
      expect(error.message).not.toContain(stalled.base);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await stalled.close();
    }
  });

  it("stops a body that keeps trickling at the operation deadline, and at the task's cancellation", async () => {
    const trickle = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('0008NAK\n'), 50);
      res.on('close', () => clearInterval(timer));
    });
    try {
      const read = async (operation: GitOperation) => {
        const res = await deadlineHttpClient(operation).request({
          url: `${trickle.base}/x`,
        });
        for await (const _chunk of res.body!) {
          // keep reading
        }
      };
      let started = Date.now();
      await expect(
        read(
          new GitOperation('fetching the branch', {
            requestMs: 300,
            operationMs: 500,
          }),
        ),
      ).rejects.toThrow(
        'the GitOps repository did not answer in time (fetching the branch: 0.5 s deadline)',
      );
      expect(Date.now() - started).toBeLessThan(1500);
      const cancel = new AbortController();
      setTimeout(() => cancel.abort(), 200);
      started = Date.now();
      await expect(
        read(new GitOperation('fetching the branch', timeouts, cancel.signal)),
      ).rejects.toThrow('fetching the branch was cancelled');
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await trickle.close();
    }
  });
});
