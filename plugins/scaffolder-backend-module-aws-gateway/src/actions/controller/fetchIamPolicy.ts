import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { policyDocumentProblems } from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { examples } from './fetchIamPolicy.examples';

export const FETCH_IAM_POLICY_ACTION_ID =
  'aws-gateway:controller:fetch-iam-policy';

// The published policy is about 9 kB; refuse anything wildly larger.
const MAX_BYTES = 256 * 1024;
const TIMEOUT_MS = 30_000;

async function download(url: string, signal?: AbortSignal): Promise<Buffer> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const response = await fetch(url, {
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) {
    throw new InputError(
      `version: the policy at ${url} is larger than ${MAX_BYTES} bytes`,
    );
  }
  return body;
}

/**
 * `aws-gateway:controller:fetch-iam-policy`: downloads the AWS Load Balancer
 * Controller's published IAM policy for a release into the workspace.
 *
 * @public
 */
export function createFetchIamPolicyAction(options: {
  guardrails: AwsGuardrails;
}) {
  const { guardrails } = options;
  return createTemplateAction({
    id: FETCH_IAM_POLICY_ACTION_ID,
    description:
      "Downloads the AWS Load Balancer Controller's IAM policy for a release (from awsGateway.provisioning.controller.policyUrlTemplate), " +
      'checks that it is a policy document and writes it to the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          version: z.string().describe('Controller release tag, e.g. v2.17.1'),
          targetPath: z
            .string()
            .default('iam_policy.json')
            .describe('Workspace-relative file to write'),
        }),
      output: z =>
        z.object({
          path: z
            .string()
            .describe('Workspace-relative path of the written policy'),
          sha256: z.string().describe('SHA-256 of the file, hex'),
          url: z.string().describe('Where it was downloaded from'),
        }),
    },
    async handler(ctx) {
      const url = guardrails.controllerPolicyUrl('version', ctx.input.version);
      const targetPath = ctx.input.targetPath ?? 'iam_policy.json';
      let file: string;
      try {
        file = resolveSafeChildPath(ctx.workspacePath, targetPath);
      } catch {
        throw new InputError(
          `targetPath: "${targetPath}" must stay inside the workspace`,
        );
      }

      // A read-only download: done in dry runs too, so their output is real.
      ctx.logger.info(`Fetching the controller's IAM policy from ${url}`);
      const body = await download(url, ctx.signal);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new InputError(
          `version: ${url} did not return JSON: ${(e as Error).message}`,
        );
      }
      const problems = policyDocumentProblems(parsed, 'identity');
      if (problems.length) {
        throw new InputError(
          `version: ${url} did not return an IAM policy document: ${problems
            .slice(0, 5)
            .join('; ')}`,
        );
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, body);
      const sha256 = createHash('sha256').update(body).digest('hex');
      ctx.logger.info(`Wrote ${targetPath} (sha256 ${sha256})`);
      ctx.output('path', path.relative(ctx.workspacePath, file));
      ctx.output('sha256', sha256);
      ctx.output('url', url);
    },
  });
}
