import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  EnsurePolicyParams,
  PolicyDocument,
  parsePolicyDocument,
  partitionForRegion,
} from '@gateway-portal/plugin-aws-gateway-node';
import { AwsGuardrails } from '../../guardrails/awsGuardrails';
import { IamTarget, iamTarget } from './iamEffect';

// IAM allows 6,144 characters per managed policy; anything far above is a mistake.
const MAX_DOCUMENT_BYTES = 64 * 1024;

/** The inputs that name a managed policy and its document (ensure-policy, controller:plan). */
export interface PolicyInput {
  accountId: string;
  region?: string;
  name: string;
  path?: string;
  document?: string | Record<string, unknown>;
  documentPath?: string;
  description?: string;
  tags?: Record<string, string>;
  allowUpdatingUnmanaged?: boolean;
}

async function readDocument(
  workspacePath: string,
  input: Pick<PolicyInput, 'document' | 'documentPath'>,
): Promise<{ field: string; document: PolicyDocument }> {
  if ((input.document === undefined) === (input.documentPath === undefined)) {
    throw new InputError(
      'document: give exactly one of document and documentPath',
    );
  }
  let source: string | object;
  let field = 'document';
  if (input.documentPath !== undefined) {
    field = 'documentPath';
    let file: string;
    try {
      file = resolveSafeChildPath(workspacePath, input.documentPath);
    } catch {
      throw new InputError(
        `documentPath: "${input.documentPath}" must stay inside the workspace`,
      );
    }
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) {
      throw new InputError(
        `documentPath: "${input.documentPath}" is not a file in the workspace`,
      );
    }
    if (stat.size > MAX_DOCUMENT_BYTES) {
      throw new InputError(
        `documentPath: the file is larger than ${MAX_DOCUMENT_BYTES} bytes`,
      );
    }
    source = await fs.readFile(file, 'utf8');
  } else {
    source = input.document!;
  }
  try {
    return { field, document: parsePolicyDocument(source, 'identity') };
  } catch (e) {
    throw new InputError(`${field}: ${(e as Error).message}`);
  }
}

/**
 * Every policy input checked against the guardrails (names, path, tags,
 * allowance, and the document: well formed and not admin-equivalent) before
 * any AWS call.
 */
export async function resolvePolicyInput(
  guardrails: AwsGuardrails,
  input: PolicyInput,
  workspacePath: string,
): Promise<{ target: IamTarget; params: EnsurePolicyParams }> {
  const target = iamTarget(guardrails, input);
  const name = guardrails.policyName('name', input.name);
  const path = guardrails.iamPath('path', input.path);
  const tags = guardrails.tags('tags', input.tags);
  const allowUpdatingUnmanaged = guardrails.allowance(
    'allowUpdatingUnmanaged',
    input.allowUpdatingUnmanaged,
    'iam.allowUpdatingUnmanagedPolicies',
  );
  const { field, document } = await readDocument(workspacePath, input);
  return {
    target,
    params: {
      partition: partitionForRegion(target.region),
      accountId: target.accountId,
      path,
      name,
      document: guardrails.policyDocument(field, document),
      description: input.description,
      tags,
      allowUpdatingUnmanaged,
    },
  };
}
