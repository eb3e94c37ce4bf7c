import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isAwsAccountId, isAwsRegion } from './arn';
import { redactAwsError } from './awsErrors';

/** Which account and region a client talks to. @public */
export interface AwsTarget {
  /** Account id; the integration's main account when absent. */
  accountId?: string;
  region: string;
}

/**
 * Builds AWS SDK clients with credentials from `@backstage/integration-aws-node`
 * (static keys, assume-role per account, or the default chain, which includes
 * EKS Pod Identity and IRSA). One client per service, account and region is
 * kept and reused: clients are stateless and safe to share across requests.
 *
 * Endpoints are never configured here: the SDK's own `AWS_ENDPOINT_URL` /
 * `AWS_ENDPOINT_URL_<SERVICE>` variables point it elsewhere (tests use that).
 *
 * @public
 */
export interface AwsClientFactory {
  elbv2(target: AwsTarget): Promise<ElasticLoadBalancingV2Client>;
  iam(
    target: Omit<AwsTarget, 'region'> & { region?: string },
  ): Promise<IAMClient>;
  eks(target: AwsTarget): Promise<EKSClient>;
}

/** @public */
export interface AwsClientFactoryOptions {
  credentialsManager: AwsCredentialsManager;
  /** Called with every new client, e.g. to add a call-counting middleware. */
  instrument?: (client: AwsSdkClient, service: AwsServiceName) => void;
  /** Maximum attempts with the SDK's adaptive retry (throttling backs off). Default 3. */
  maxAttempts?: number;
  /** Deadline to open a connection, in ms. Default 3,000. */
  connectionTimeoutMs?: number;
  /**
   * Deadline of one attempt (request sent, response read), in ms; a stalled
   * endpoint fails the attempt and frees its socket. Default 15,000. Callers
   * bound a whole call, retries included, with the `abortSignal` of `send`.
   */
  requestTimeoutMs?: number;
  /** Clients kept (one per service, account and region), least recently used dropped first. Default 32. */
  maxClients?: number;
}

/** @public */
export type AwsServiceName = 'elbv2' | 'iam' | 'eks';
/** @public */
export type AwsSdkClient = ElasticLoadBalancingV2Client | IAMClient | EKSClient;

// IAM is a global service whose API lives in us-east-1 for the aws partition.
const IAM_REGION = 'us-east-1';

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_CLIENTS = 32;

/**
 * Refuses a target that is not an account id and a region name, so that the
 * client cache is keyed by validated values only.
 */
function checkTarget(target: AwsTarget): void {
  if (!isAwsRegion(target.region)) {
    throw new InputError(`AWS region "${target.region}" is not a region name`);
  }
  if (target.accountId !== undefined && !isAwsAccountId(target.accountId)) {
    throw new InputError(
      `AWS account "${target.accountId}" is not a 12-digit account id`,
    );
  }
}

/**
 * Every failed call's error leaves the client through redactAwsError: added
 * last at the outermost step, so it sees the final error (after retries and
 * any instrumenting middleware).
 */
function addErrorRedaction(client: AwsSdkClient): void {
  // The clients' stacks differ in their type parameters only.
  const stack = client.middlewareStack as {
    add(middleware: unknown, options: object): void;
  };
  stack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        throw redactAwsError(error);
      }
    },
    { step: 'initialize', name: 'awsGatewayErrorRedaction', priority: 'high' },
  );
}

/** @public */
export class DefaultAwsClientFactory implements AwsClientFactory {
  /** Insertion order is recency order: a hit is moved to the end. */
  private readonly clients = new Map<string, Promise<AwsSdkClient>>();

  static fromConfig(
    config: Config,
    options: Omit<AwsClientFactoryOptions, 'credentialsManager'> = {},
  ): DefaultAwsClientFactory {
    return new DefaultAwsClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      ...options,
    });
  }

  constructor(private readonly options: AwsClientFactoryOptions) {}

  elbv2(target: AwsTarget): Promise<ElasticLoadBalancingV2Client> {
    return this.client(
      'elbv2',
      target,
      c => new ElasticLoadBalancingV2Client(c),
    );
  }

  iam(
    target: Omit<AwsTarget, 'region'> & { region?: string },
  ): Promise<IAMClient> {
    return this.client(
      'iam',
      { ...target, region: target.region ?? IAM_REGION },
      c => new IAMClient(c),
    );
  }

  eks(target: AwsTarget): Promise<EKSClient> {
    return this.client('eks', target, c => new EKSClient(c));
  }

  private client<T extends AwsSdkClient>(
    service: AwsServiceName,
    target: AwsTarget,
    make: (clientConfig: {
      region: string;
      credentials: any;
      retryMode: string;
      maxAttempts: number;
      requestHandler: NodeHttpHandler;
    }) => T,
  ): Promise<T> {
    try {
      checkTarget(target);
    } catch (e) {
      return Promise.reject(e);
    }
    const key = `${service}|${target.accountId ?? ''}|${target.region}`;
    let client = this.clients.get(key);
    if (client) {
      this.clients.delete(key);
      this.clients.set(key, client);
      return client as Promise<T>;
    }
    client = (async () => {
      const provider =
        await this.options.credentialsManager.getCredentialProvider(
          target.accountId ? { accountId: target.accountId } : undefined,
        );
      const created = make({
        region: target.region,
        credentials: provider.sdkCredentialProvider,
        retryMode: 'adaptive',
        maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        requestHandler: new NodeHttpHandler({
          connectionTimeout:
            this.options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
          requestTimeout: this.requestTimeoutMs(),
          throwOnRequestTimeout: true,
        }),
      });
      this.options.instrument?.(created, service);
      addErrorRedaction(created);
      return created;
    })();
    // A failed credential lookup must not poison the cache.
    client.catch(() => {
      if (this.clients.get(key) === client) this.clients.delete(key);
    });
    this.clients.set(key, client);
    this.evict();
    return client as Promise<T>;
  }

  private requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Drops the least recently used clients beyond the bound; their sockets close once calls in flight are done. */
  private evict(): void {
    const max = this.options.maxClients ?? DEFAULT_MAX_CLIENTS;
    for (const [key, client] of this.clients) {
      if (this.clients.size <= max) break;
      this.clients.delete(key);
      const grace = setTimeout(() => {
        client.then(c => c.destroy()).catch(() => undefined);
      }, 2 * this.requestTimeoutMs());
      grace.unref();
    }
  }

  /** How many clients are kept (for tests and metrics). */
  get size(): number {
    return this.clients.size;
  }
}
