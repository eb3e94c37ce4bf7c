/**
 * The classic endpoint as the portal committed it (rendered by the real
 * render action), and a repository that answers with it: what the change and
 * removal actions read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  GitOpsDirectory,
  GitOpsFile,
  GitOpsRepository,
  readGatewayGuardrails,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import yaml from 'yaml';
import { createRenderEndpointAction } from '../../endpoint/renderEndpoint';
import { examples } from '../../endpoint/renderEndpoint.examples';
import { ownershipNotEnforced, testActionContext } from './testContext';

export const CLASSIC_PATH = 'gateways/default/aws-tcp-gateway';

/** Guardrails of the tests: the classic endpoint's namespace and ports allowed, 0.0.0.0/0 not. */
export const endpointGuardrails = readGatewayGuardrails(
  new ConfigReader({
    awsGateway: {
      provisioning: { gateways: { allowedNamespaces: ['default', 'apps'] } },
    },
  }),
);

/** The files of the render example's classic endpoint (with `change` to its input), at their repository path. */
export async function committedClassicEndpoint(
  change: Record<string, any> = {},
): Promise<GitOpsFile[]> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'committed-'));
  try {
    await createRenderEndpointAction({
      guardrails: endpointGuardrails,
      clusters: new InMemoryKubernetesClusters(),
      ownership: ownershipNotEnforced(),
    }).handler(
      testActionContext(
        {
          targetType: 'ip',
          serverDryRun: true,
          ...yaml.parse(examples[0].example).steps[0].input,
          outputDir: 'manifests',
          ...change,
        },
        { workspacePath: workspace },
      ),
    );
    const dir = path.join(workspace, 'manifests');
    return fs
      .readdirSync(dir)
      .sort()
      .map(name => ({
        path: `${CLASSIC_PATH}/${name}`,
        content: fs.readFileSync(path.join(dir, name), 'utf8'),
      }));
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** A repository whose Gateway folder holds `files` (and that can do nothing else). */
export function repositoryHolding(files: GitOpsFile[]) {
  const readFiles = jest.fn(
    async (_repoUrl: unknown, _options: unknown): Promise<GitOpsDirectory> => ({
      files,
      branch: 'main',
      commitSha: 'c'.repeat(40),
    }),
  );
  return {
    repository: { readFiles } as unknown as Pick<GitOpsRepository, 'readFiles'>,
    readFiles,
  };
}
