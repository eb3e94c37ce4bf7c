import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ControllerProfile } from '@gateway-portal/plugin-aws-gateway-common';
import { RenderedFile } from '@gateway-portal/plugin-aws-gateway-node';
import { gatewayApiCrds } from './controllerRelease';

/** The comment heading the Helm values: release, cluster, CRDs to install first, IAM role. */
export function helmValuesHeader(options: {
  controllerVersion: string;
  clusterName: string;
  region: string;
  accountId?: string;
  profile: ControllerProfile;
  roleArn?: string;
}): string {
  const { controllerVersion, clusterName, region, accountId, roleArn } =
    options;
  return [
    `# Controller release ${controllerVersion}; cluster ${clusterName} in ${region}${
      accountId ? ` (account ${accountId})` : ''
    }.`,
    `# Gateway API CRDs to install first: ${gatewayApiCrds(options.profile)}.`,
    ...(roleArn
      ? [
          `# IAM role (via the EKS Pod Identity association, no service account annotation): ${roleArn}`,
        ]
      : []),
  ].join('\n');
}

/**
 * Writes the files under `outputDir` of the workspace, which must stay inside
 * it; returns that directory relative to the workspace, `/`-separated.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  outputDirInput: string,
  files: RenderedFile[],
): Promise<string> {
  let outputDir: string;
  try {
    outputDir = resolveSafeChildPath(workspacePath, outputDirInput);
  } catch {
    throw new InputError(
      `outputDir: "${outputDirInput}" must stay inside the workspace`,
    );
  }
  await fs.mkdir(outputDir, { recursive: true });
  for (const file of files) {
    await fs.writeFile(path.join(outputDir, file.path), file.content);
  }
  return path.relative(workspacePath, outputDir).split(path.sep).join('/');
}
