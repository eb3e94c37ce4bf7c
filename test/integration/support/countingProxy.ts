/**
 * A loopback reverse proxy in front of the AWS peer that records every AWS
 * request by operation, so a test can count the mutating calls a real
 * backend makes. Operations are named from the request itself:
 *   - JSON protocols: the X-Amz-Target header (`Service.Operation`);
 *   - query protocols (IAM, STS, EC2, ELBv2): the Action query or form-body parameter;
 *   - REST protocols (EKS): method and path.
 * Bodies are forwarded unchanged (the SigV4 signature covers them).
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface AwsCall {
  /** Operation (`CreatePolicy`, `AWSCognito.X`) or `POST /clusters/c/pod-identity-associations`. */
  operation: string;
  method: string;
  mutating: boolean;
  status: number;
  /** The request's form parameters (query protocols: `TargetGroupArn`, `LoadBalancerArns.member.1`…). */
  params: Record<string, string>;
}

const READ_ONLY = /^(Get|List|Describe|Head|Simulate|Search|Lookup)/;

/** Whether a request changes state: read-only verbs for named operations, GET/HEAD for REST calls. */
function isMutating(operation: string, method: string): boolean {
  if (/^[A-Z][A-Za-z]+$/.test(operation)) return !READ_ONLY.test(operation);
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

function operationOf(
  method: string,
  url: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target) return target.split('.').pop()!;
  const parsed = new URL(url, 'http://proxy');
  const queryAction = parsed.searchParams.get('Action');
  if (queryAction) return queryAction;
  const type = String(headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action');
    if (action) return action;
  }
  return `${method} ${parsed.pathname}`;
}

export interface CountingProxy {
  /** The URL to give AWS clients (AWS_ENDPOINT_URL). */
  endpoint: string;
  calls: AwsCall[];
  mutating(): AwsCall[];
  /** Forget the calls recorded so far. */
  reset(): void;
  close(): Promise<void>;
}

export function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const calls: AwsCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const operation = operationOf(method, req.url ?? '/', req.headers, body);
      const form = String(req.headers['content-type'] ?? '').includes(
        'application/x-www-form-urlencoded',
      );
      const params = form
        ? Object.fromEntries(new URLSearchParams(body.toString('utf8')))
        : {};
      const call: AwsCall = {
        operation,
        method,
        mutating: isMutating(operation, method),
        status: 0,
        params,
      };
      calls.push(call);
      const forward = http.request(
        {
          host: target.hostname,
          port: target.port,
          method,
          path: req.url,
          headers: req.headers,
        },
        upstreamRes => {
          call.status = upstreamRes.statusCode ?? 0;
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', e => {
        call.status = 502;
        res.writeHead(502).end(String(e));
      });
      forward.end(body);
    });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        calls,
        mutating: () => calls.filter(c => c.mutating),
        reset: () => {
          calls.length = 0;
        },
        close: () =>
          new Promise(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}
