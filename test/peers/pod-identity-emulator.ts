/**
 * EKS Pod Identity association emulator -- the ONE place where the AWS peer is
 * ours rather than moto. moto (5.2.1 and the newest 5.2.5) has no
 * pod-identity-associations routes, so this narrow HTTP server implements
 * exactly the five Pod Identity operations in EKS REST-JSON, as modelled by
 * @aws-sdk/client-eks (paths, fields and error shapes read from its dist-cjs
 * schema), and reverse-proxies EVERY other request to moto. Clients therefore
 * use one endpoint URL for all AWS services.
 *
 *   POST   /clusters/{name}/pod-identity-associations          Create
 *   GET    /clusters/{name}/pod-identity-associations          List (?namespace&serviceAccount&maxResults&nextToken)
 *   GET    /clusters/{name}/pod-identity-associations/{id}     Describe
 *   POST   /clusters/{name}/pod-identity-associations/{id}     Update
 *   DELETE /clusters/{name}/pod-identity-associations/{id}     Delete
 *
 * Cluster existence is checked by calling moto's EKS DescribeCluster with the
 * caller's own Authorization header (moto reads the region from it), or by
 * `options.lookupCluster` in front of an IAM-enforcing moto (see
 * iam-enforcement.ts: there the caller's signature is for another request).
 * State is per region+cluster, cleared by POST /moto-api/reset (which is also
 * forwarded to moto) and when the cluster is deleted through the proxy.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { freePort } from './cache';

interface Association {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  associationArn: string;
  associationId: string;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  ownerArn?: string;
  disableSessionTags: boolean;
  targetRoleArn?: string;
  externalId?: string;
  policy?: string;
  clientRequestToken?: string;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: object = {},
  ) {
    super(message);
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const ROUTE =
  /^\/clusters\/([^/]+)\/pod-identity-associations(?:\/([^/]+))?\/?$/;

export interface PodIdentityEmulator {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

function regionOf(req: http.IncomingMessage): string {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(
    String(req.headers.authorization ?? ''),
  );
  return m?.[1] ?? 'us-east-1';
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(data.length),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(data);
}

function sendError(res: http.ServerResponse, e: ApiError) {
  send(
    res,
    e.status,
    { message: e.message, ...e.extra },
    { 'x-amzn-errortype': e.type },
  );
}

function clusterNotFound(name: string): ApiError {
  return new ApiError(
    404,
    'ResourceNotFoundException',
    `No cluster found for name: ${name}.`,
    { clusterName: name },
  );
}

function newAssociationId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(17);
  return `a-${Array.from(bytes, b => alphabet[b % alphabet.length]).join('')}`;
}

function view(a: Association) {
  const { clientRequestToken: _t, ...rest } = a;
  return rest;
}

function summary(a: Association) {
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    associationArn: a.associationArn,
    associationId: a.associationId,
    ...(a.ownerArn ? { ownerArn: a.ownerArn } : {}),
  };
}

export interface PodIdentityEmulatorOptions {
  /** The ARN of an existing cluster, or undefined; default: moto's DescribeCluster as the caller. */
  lookupCluster?: (region: string, name: string) => string | undefined;
}

export async function startPodIdentityEmulator(
  motoEndpoint: string,
  options: PodIdentityEmulatorOptions = {},
): Promise<PodIdentityEmulator> {
  const moto = new URL(motoEndpoint);
  /** key: `${region}/${cluster}` → associations by id */
  const state = new Map<string, Map<string, Association>>();

  function proxy(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body?: Buffer,
  ) {
    const upstream = http.request(
      {
        host: moto.hostname,
        port: moto.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', e => {
      if (!res.headersSent)
        send(res, 502, { message: `emulator: moto unreachable: ${e.message}` });
      else res.destroy();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  }

  /** moto EKS DescribeCluster, authenticated as the caller. */
  async function describeCluster(
    req: http.IncomingMessage,
    name: string,
  ): Promise<{ arn: string }> {
    if (options.lookupCluster) {
      const arn = options.lookupCluster(regionOf(req), name);
      if (arn) return { arn };
      throw clusterNotFound(name);
    }
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'x-amz-date', 'x-amz-security-token']) {
      if (req.headers[h]) headers[h] = String(req.headers[h]);
    }
    const r = await fetch(
      `${motoEndpoint}/clusters/${encodeURIComponent(name)}`,
      { headers },
    );
    if (r.status === 404) throw clusterNotFound(name);
    if (!r.ok)
      throw new ApiError(
        500,
        'ServerException',
        `emulator: DescribeCluster via moto returned ${r.status}`,
      );
    const json: any = await r.json();
    return { arn: json.cluster.arn };
  }

  function clusterState(region: string, cluster: string) {
    const key = `${region}/${cluster}`;
    let m = state.get(key);
    if (!m) state.set(key, (m = new Map()));
    return m;
  }

  function find(region: string, cluster: string, id: string): Association {
    const a = state.get(`${region}/${cluster}`)?.get(id);
    if (!a) {
      throw new ApiError(
        404,
        'ResourceNotFoundException',
        `Association ${id} not found for cluster ${cluster}.`,
        {
          clusterName: cluster,
        },
      );
    }
    return a;
  }

  function str(
    body: any,
    field: string,
    required: boolean,
  ): string | undefined {
    const v = body[field];
    if (v === undefined || v === null) {
      if (required)
        throw new ApiError(
          400,
          'InvalidParameterException',
          `${field} is a required parameter.`,
        );
      return undefined;
    }
    if (typeof v !== 'string' || v.length === 0) {
      throw new ApiError(
        400,
        'InvalidParameterException',
        `${field} must be a non-empty string.`,
      );
    }
    return v;
  }

  function checkRoleArn(field: string, v: string | undefined) {
    if (v !== undefined && !ROLE_ARN.test(v)) {
      throw new ApiError(
        400,
        'InvalidParameterException',
        `${field} ${v} is not a valid IAM role ARN.`,
      );
    }
  }

  function checkTags(tags: unknown): Record<string, string> {
    if (tags === undefined) return {};
    if (!tags || typeof tags !== 'object' || Array.isArray(tags)) {
      throw new ApiError(
        400,
        'InvalidParameterException',
        'tags must be a map of strings.',
      );
    }
    const entries = Object.entries(tags as Record<string, unknown>);
    if (entries.length > 50)
      throw new ApiError(
        400,
        'InvalidParameterException',
        'At most 50 tags are allowed.',
      );
    for (const [k, v] of entries) {
      if (
        typeof v !== 'string' ||
        k.length < 1 ||
        k.length > 128 ||
        v.length > 256 ||
        k.toLowerCase().startsWith('aws:')
      ) {
        throw new ApiError(
          400,
          'InvalidParameterException',
          `Invalid tag ${k}.`,
        );
      }
    }
    return tags as Record<string, string>;
  }

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    m: RegExpExecArray,
    url: URL,
  ) {
    const cluster = decodeURIComponent(m[1]);
    const id = m[2] ? decodeURIComponent(m[2]) : undefined;
    const region = regionOf(req);
    const raw = await readBody(req);
    let body: any = {};
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ApiError(
          400,
          'InvalidParameterException',
          'Request body is not valid JSON.',
        );
      }
    }
    const { arn: clusterArn } = await describeCluster(req, cluster);
    const assocs = clusterState(region, cluster);
    const now = Date.now() / 1000;

    if (!id && req.method === 'POST') {
      const namespace = str(body, 'namespace', true)!;
      const serviceAccount = str(body, 'serviceAccount', true)!;
      const roleArn = str(body, 'roleArn', true)!;
      const targetRoleArn = str(body, 'targetRoleArn', false);
      const policy = str(body, 'policy', false);
      const clientRequestToken = str(body, 'clientRequestToken', false);
      if (!K8S_NAME.test(namespace) || namespace.length > 63) {
        throw new ApiError(
          400,
          'InvalidParameterException',
          `namespace ${namespace} is not a valid Kubernetes name.`,
        );
      }
      if (!K8S_NAME.test(serviceAccount) || serviceAccount.length > 253) {
        throw new ApiError(
          400,
          'InvalidParameterException',
          `serviceAccount ${serviceAccount} is not a valid Kubernetes name.`,
        );
      }
      checkRoleArn('roleArn', roleArn);
      checkRoleArn('targetRoleArn', targetRoleArn);
      if (
        body.disableSessionTags !== undefined &&
        typeof body.disableSessionTags !== 'boolean'
      ) {
        throw new ApiError(
          400,
          'InvalidParameterException',
          'disableSessionTags must be a boolean.',
        );
      }
      const tags = checkTags(body.tags);
      const existing = [...assocs.values()].find(
        a => a.namespace === namespace && a.serviceAccount === serviceAccount,
      );
      if (existing) {
        if (
          clientRequestToken &&
          existing.clientRequestToken === clientRequestToken &&
          existing.roleArn === roleArn
        ) {
          return send(res, 200, { association: view(existing) }); // idempotent retry
        }
        throw new ApiError(
          409,
          'ResourceInUseException',
          `Association already exists: ${existing.associationId}`,
          { clusterName: cluster },
        );
      }
      const associationId = newAssociationId();
      const a: Association = {
        clusterName: cluster,
        namespace,
        serviceAccount,
        roleArn,
        associationArn: `${clusterArn.replace(
          ':cluster/',
          ':podidentityassociation/',
        )}/${associationId}`,
        associationId,
        tags,
        createdAt: now,
        modifiedAt: now,
        disableSessionTags: body.disableSessionTags ?? false,
        ...(targetRoleArn
          ? { targetRoleArn, externalId: crypto.randomUUID() }
          : {}),
        ...(policy ? { policy } : {}),
        ...(clientRequestToken ? { clientRequestToken } : {}),
      };
      assocs.set(associationId, a);
      return send(res, 200, { association: view(a) });
    }

    if (!id && req.method === 'GET') {
      const ns = url.searchParams.get('namespace');
      const sa = url.searchParams.get('serviceAccount');
      const maxRaw = url.searchParams.get('maxResults');
      const max = maxRaw === null ? 100 : Number(maxRaw);
      if (!Number.isInteger(max) || max < 1 || max > 100) {
        throw new ApiError(
          400,
          'InvalidParameterException',
          'maxResults must be between 1 and 100.',
        );
      }
      let start = 0;
      const token = url.searchParams.get('nextToken');
      if (token) {
        start = Number(
          Buffer.from(token, 'base64url')
            .toString('utf8')
            .replace(/^offset:/, ''),
        );
        if (!Number.isInteger(start) || start < 0) {
          throw new ApiError(
            400,
            'InvalidParameterException',
            'The nextToken is invalid.',
          );
        }
      }
      const all = [...assocs.values()]
        .filter(
          a => (!ns || a.namespace === ns) && (!sa || a.serviceAccount === sa),
        )
        .sort(
          (x, y) =>
            x.createdAt - y.createdAt ||
            x.associationId.localeCompare(y.associationId),
        );
      const page = all.slice(start, start + max);
      const more = start + max < all.length;
      return send(res, 200, {
        associations: page.map(summary),
        ...(more
          ? {
              nextToken: Buffer.from(`offset:${start + max}`).toString(
                'base64url',
              ),
            }
          : {}),
      });
    }

    if (id && req.method === 'GET')
      return send(res, 200, { association: view(find(region, cluster, id)) });

    if (id && req.method === 'POST') {
      const a = find(region, cluster, id);
      const roleArn = str(body, 'roleArn', false);
      const targetRoleArn = str(body, 'targetRoleArn', false);
      const policy = body.policy;
      checkRoleArn('roleArn', roleArn);
      checkRoleArn('targetRoleArn', targetRoleArn);
      if (
        body.disableSessionTags !== undefined &&
        typeof body.disableSessionTags !== 'boolean'
      ) {
        throw new ApiError(
          400,
          'InvalidParameterException',
          'disableSessionTags must be a boolean.',
        );
      }
      if (roleArn) a.roleArn = roleArn;
      if (body.disableSessionTags !== undefined)
        a.disableSessionTags = body.disableSessionTags;
      if (targetRoleArn !== undefined) {
        a.targetRoleArn = targetRoleArn;
        a.externalId = a.externalId ?? crypto.randomUUID();
      }
      if (typeof policy === 'string') a.policy = policy;
      a.modifiedAt = now;
      return send(res, 200, { association: view(a) });
    }

    if (id && req.method === 'DELETE') {
      const a = find(region, cluster, id);
      assocs.delete(id);
      return send(res, 200, { association: view(a) });
    }

    throw new ApiError(
      405,
      'InvalidRequestException',
      `Method ${req.method} is not supported on ${url.pathname}.`,
    );
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = ROUTE.exec(url.pathname);
    if (m) {
      handle(req, res, m, url).catch(e => {
        if (e instanceof ApiError) sendError(res, e);
        else
          sendError(
            res,
            new ApiError(
              500,
              'ServerException',
              `emulator error: ${e?.message ?? e}`,
            ),
          );
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/moto-api/reset')
      state.clear();
    const del = /^\/clusters\/([^/]+)\/?$/.exec(url.pathname);
    if (req.method === 'DELETE' && del)
      state.delete(`${regionOf(req)}/${decodeURIComponent(del[1])}`);
    proxy(req, res);
  });
  // Longer than any idle gap between a test's calls: a server closing an idle
  // keep-alive socket just as a client reuses it fails that call with "socket
  // hang up", and the peers' clients do not retry (maxAttempts 1).
  server.keepAliveTimeout = 60_000;
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
