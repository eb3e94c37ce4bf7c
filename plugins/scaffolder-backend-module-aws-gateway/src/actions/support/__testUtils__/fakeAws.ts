/**
 * In-process fake of the IAM and EKS Pod Identity operations the actions use,
 * for unit tests. Real SDK clients are built by the real
 * DefaultAwsClientFactory; its `instrument` hook adds a middleware that
 * answers each command from memory, so nothing leaves the process and every
 * call is recorded. Errors are the SDK's own exception classes.
 */
import { ConfigReader } from '@backstage/config';
import {
  AwsClientFactory,
  DefaultAwsClientFactory,
} from '@gateway-portal/plugin-aws-gateway-node';
import { FAKE_ACCOUNT, meta } from './fakeAwsConstants';
import { FakeIam, Tags } from './fakeIam';
import { FakePodIdentity } from './fakePodIdentity';

export { FAKE_ACCOUNT, FAKE_CLUSTER, FAKE_REGION } from './fakeAwsConstants';

const MUTATING = /^(Create|Update|Put|Attach|Detach|Tag|Untag|Delete|Set)/;

export class FakeAws {
  readonly calls: Array<{ command: string; input: any }> = [];
  readonly iam = new FakeIam();
  readonly podIdentity = new FakePodIdentity(name => this.iam.roles.has(name));
  readonly policies = this.iam.policies;
  readonly roles = this.iam.roles;
  readonly associations = this.podIdentity.associations;
  readonly clusters = this.podIdentity.clusters;
  /** Runs before each command is answered (e.g. to emulate a concurrent writer). */
  beforeCall?: (command: string) => void;
  private readonly injected = new Map<string, Error[]>();

  /** Makes the next call of `command` fail with `error`. */
  failNext(command: string, error: Error) {
    this.injected.set(command, [...(this.injected.get(command) ?? []), error]);
  }

  mutatingCalls(): string[] {
    return this.calls.map(c => c.command).filter(c => MUTATING.test(c));
  }

  /** A real client factory whose clients are answered by this fake. */
  clientFactory(): AwsClientFactory {
    // Static keys for the account, so the credentials manager asks no STS.
    const config = new ConfigReader({
      aws: {
        accounts: [
          {
            accountId: FAKE_ACCOUNT,
            accessKeyId: 'AKIAFAKE',
            secretAccessKey: 'fake',
          },
        ],
      },
    });
    return DefaultAwsClientFactory.fromConfig(config, {
      instrument: client => {
        // The clients' stacks differ in their type parameters only.
        const stack = client.middlewareStack as {
          add(middleware: unknown, options: object): void;
        };
        stack.add(
          (_next: unknown, context: { commandName?: string }) =>
            async (args: any) => {
              const command = String(context.commandName).replace(
                /Command$/,
                '',
              );
              this.calls.push({ command, input: args.input });
              const output = this.handle(command, args.input);
              return { output: { ...meta, ...output }, response: {} };
            },
          { step: 'initialize', name: 'fakeAws', priority: 'high' },
        );
      },
    });
  }

  /** Create calls EKS answers with "role not found" before it sees a new role. */
  get roleInvisibleForCreates(): number {
    return this.podIdentity.roleInvisibleForCreates;
  }

  set roleInvisibleForCreates(count: number) {
    this.podIdentity.roleInvisibleForCreates = count;
  }

  /** Adds a policy as if someone else (or this plugin, with the tag) created it. */
  seedPolicy(arn: string, document: object, tags: Tags = []) {
    this.iam.seedPolicy(arn, document, tags);
  }

  seedRole(name: string, path: string, trust: object, tags: Tags = []) {
    this.iam.seedRole(name, path, trust, tags);
  }

  seedAssociation(namespace: string, serviceAccount: string, roleArn: string) {
    return this.podIdentity.seedAssociation(namespace, serviceAccount, roleArn);
  }

  private handle(command: string, input: any): object {
    this.beforeCall?.(command);
    const queued = this.injected.get(command);
    if (queued?.length) throw queued.shift();
    const answer =
      this.iam.handle(command, input) ??
      this.podIdentity.handle(command, input);
    if (!answer) throw new Error(`FakeAws: ${command} is not implemented`);
    return answer;
  }
}
