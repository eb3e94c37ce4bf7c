import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  InputError,
  isError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AWS_GATEWAY_ACTION_ID,
  policyDocumentProblems,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { examples } from './fetchIamPolicy.examples';
import { createAwsGatewayAction } from '../support/inputDefaults';

/**
 * sha256 of `docs/install/iam_policy.json` as published at each release tag,
 * computed once from the released files (fetchIamPolicy.test.ts checks these
 * constants against the reference copies the tests read). The two
 * releases publish the same document. A download that does not match is
 * refused: a compromised mirror or a moved tag cannot widen the controller's
 * IAM policy.
 */
export const PINNED_POLICY_SHA256: Readonly<Record<string, string>> = {
  'v2.17.1': '16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a',
  'v3.5.0': '16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a',
};

const CONFIG_KEY =
  'awsGateway.provisioning.controller.allowUnpinnedPolicyVersions';

/**
 * How the policy is downloaded; from configuration, with limits that tests may lower.
 * @public
 */
export interface FetchIamPolicySettings {
  /** Versions without a pinned digest are refused unless true. */
  allowUnpinnedVersions: boolean;
  /** The published policy is about 9 kB; anything much larger is refused as soon as the cap is crossed. */
  maxBytes: number;
  /** For the whole download, redirects included. */
  timeoutMs: number;
}

/** The limits, and pinned versions only. @public */
export const DEFAULT_FETCH_IAM_POLICY_SETTINGS: FetchIamPolicySettings = {
  allowUnpinnedVersions: false,
  maxBytes: 256 * 1024,
  timeoutMs: 30_000,
};

/** @public */
export function readFetchIamPolicySettings(
  config: Config,
): FetchIamPolicySettings {
  return {
    ...DEFAULT_FETCH_IAM_POLICY_SETTINGS,
    allowUnpinnedVersions: config.getOptionalBoolean(CONFIG_KEY) ?? false,
  };
}

/** Where the policy was read from, for messages: origin and path only. */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Reads the policy through Backstage's UrlReaderService, so the portal's own
 * rules apply (an integration for the host, or `backend.reading.allow`, which
 * also judges every redirect target), with our limits on top: one deadline
 * for everything, the task's signal, and the body streamed and abandoned as
 * soon as it crosses `maxBytes`.
 */
async function download(
  url: URL,
  reader: UrlReaderService,
  settings: FetchIamPolicySettings,
  signal?: AbortSignal,
): Promise<Buffer> {
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const tooLarge = () =>
    new InputError(
      `version: the policy at ${shown(url)} is larger than ${
        settings.maxBytes
      } bytes`,
    );
  try {
    const response = await reader.readUrl(url.toString(), {
      signal: combined,
    });
    if (!response.stream) return await response.buffer();
    const body = response.stream();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > settings.maxBytes) {
        // Stop reading now: the rest of the body is never buffered.
        body.destroy();
        throw tooLarge();
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (deadline.aborted) {
      throw new ServiceUnavailableError(
        `version: ${shown(url)} did not answer within ${
          settings.timeoutMs / 1000
        } s; run the task again`,
      );
    }
    if (signal?.aborted) {
      throw new ServiceUnavailableError(
        'fetching the IAM policy was cancelled',
      );
    }
    if (error instanceof InputError) throw error;
    // The reader's messages carry full URLs (redirect targets included):
    // only its error class is passed on.
    const kind = isError(error) ? error.name : '';
    if (kind === 'NotFoundError') {
      throw new InputError(
        `version: ${shown(
          url,
        )} answered HTTP 404; is the version a published release?`,
      );
    }
    if (kind === 'NotAllowedError') {
      throw new NotAllowedError(
        `version: the portal may not read ${url.origin}: add its host to backend.reading.allow (or configure an integration for it) [policy-host-not-readable]`,
      );
    }
    throw new ServiceUnavailableError(
      `version: ${shown(
        url,
      )} could not be read: it answered an error, redirected to a host backend.reading.allow does not list, or redirected too often [policy-read-failed]`,
    );
  }
}

/**
 * `aws-gateway:controller:fetch-iam-policy`: downloads the AWS Load Balancer
 * Controller's published IAM policy for a release into the workspace.
 *
 * @public
 */
export function createFetchIamPolicyAction(options: {
  guardrails: AwsGuardrails;
  /** The backend's UrlReaderService: its allow-list and integrations decide which hosts may be read. */
  reader: UrlReaderService;
  /** Default: pinned versions only, with the default limits. */
  settings?: FetchIamPolicySettings;
}) {
  const {
    guardrails,
    reader,
    settings = DEFAULT_FETCH_IAM_POLICY_SETTINGS,
  } = options;
  return createAwsGatewayAction({
    id: AWS_GATEWAY_ACTION_ID.fetchIamPolicy,
    description:
      "Downloads the AWS Load Balancer Controller's IAM policy for a release (from awsGateway.provisioning.controller.policyUrlTemplate), " +
      'checks it against the pinned sha256 of that release and that it is a policy document, and writes it to the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        version: z =>
          z.string().describe('Controller release tag, e.g. v2.17.1'),
        targetPath: z =>
          z
            .string()
            .default('iam_policy.json')
            .describe('Workspace-relative file to write'),
      },
      output: {
        path: z =>
          z.string().describe('Workspace-relative path of the written policy'),
        sha256: z => z.string().describe('SHA-256 of the file, hex'),
        url: z => z.string().describe('Where it was downloaded from'),
        pinned: z =>
          z
            .boolean()
            .describe(
              'Whether the sha256 matched the digest pinned for this release (false only when configuration allows unpinned versions)',
            ),
      },
    },
    async handler(ctx) {
      const url = new URL(
        guardrails.controllerPolicyUrl('version', ctx.input.version),
      );
      const pinnedDigest = Object.prototype.hasOwnProperty.call(
        PINNED_POLICY_SHA256,
        ctx.input.version,
      )
        ? PINNED_POLICY_SHA256[ctx.input.version]
        : undefined;
      if (!pinnedDigest && !settings.allowUnpinnedVersions) {
        throw new NotAllowedError(
          `version: "${
            ctx.input.version
          }" has no pinned policy digest (known: ${Object.keys(
            PINNED_POLICY_SHA256,
          ).join(
            ', ',
          )}); configuration must allow unpinned versions (${CONFIG_KEY}) [policy-version-not-pinned]`,
        );
      }
      const targetPath = ctx.input.targetPath;
      let file: string;
      try {
        file = resolveSafeChildPath(ctx.workspacePath, targetPath);
      } catch {
        throw new InputError(
          `targetPath: "${targetPath}" must stay inside the workspace`,
        );
      }

      // A read-only download: done in dry runs too, so their output is real.
      ctx.logger.info(
        `Fetching the controller's IAM policy from ${shown(url)}`,
      );
      const body = await download(url, reader, settings, ctx.signal);
      const sha256 = createHash('sha256').update(body).digest('hex');
      if (pinnedDigest && sha256 !== pinnedDigest) {
        throw new NotAllowedError(
          `version: the policy served at ${shown(
            url,
          )} has sha256 ${sha256}, not the ${pinnedDigest} published for ${
            ctx.input.version
          }; refusing it [policy-digest-mismatch]`,
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new InputError(
          `version: ${shown(url)} did not return JSON: ${(e as Error).message}`,
        );
      }
      const problems = policyDocumentProblems(parsed, 'identity');
      if (problems.length) {
        throw new InputError(
          `version: ${shown(
            url,
          )} did not return an IAM policy document: ${problems
            .slice(0, 5)
            .join('; ')}`,
        );
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, body);
      ctx.logger.info(
        `Wrote ${targetPath} (sha256 ${sha256}${
          pinnedDigest ? ', the pinned digest' : ', not pinned'
        })`,
      );
      ctx.output('path', path.relative(ctx.workspacePath, file));
      ctx.output('sha256', sha256);
      ctx.output('url', shown(url));
      ctx.output('pinned', !!pinnedDigest);
    },
  });
}
