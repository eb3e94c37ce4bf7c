import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

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
  iam(target: Omit<AwsTarget, 'region'> & { region?: string }): Promise<IAMClient>;
  eks(target: AwsTarget): Promise<EKSClient>;
}

/** @public */
export interface AwsClientFactoryOptions {
  credentialsManager: AwsCredentialsManager;
  /** Called with every new client, e.g. to add a call-counting middleware. */
  instrument?: (client: AwsSdkClient, service: AwsServiceName) => void;
  /** Maximum attempts with the SDK's adaptive retry (throttling backs off). */
  maxAttempts?: number;
}

/** @public */
export type AwsServiceName = 'elbv2' | 'iam' | 'eks';
/** @public */
export type AwsSdkClient = ElasticLoadBalancingV2Client | IAMClient | EKSClient;

// IAM is a global service whose API lives in us-east-1 for the aws partition.
const IAM_REGION = 'us-east-1';

/** @public */
export class DefaultAwsClientFactory implements AwsClientFactory {
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
    return this.client('elbv2', target, c => new ElasticLoadBalancingV2Client(c));
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
    }) => T,
  ): Promise<T> {
    const key = `${service}|${target.accountId ?? ''}|${target.region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = (async () => {
        const provider = await this.options.credentialsManager.getCredentialProvider(
          target.accountId ? { accountId: target.accountId } : undefined,
        );
        const created = make({
          region: target.region,
          credentials: provider.sdkCredentialProvider,
          retryMode: 'adaptive',
          maxAttempts: this.options.maxAttempts ?? 5,
        });
        this.options.instrument?.(created, service);
        return created;
      })();
      // A failed credential lookup must not poison the cache.
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client as Promise<T>;
  }
}
