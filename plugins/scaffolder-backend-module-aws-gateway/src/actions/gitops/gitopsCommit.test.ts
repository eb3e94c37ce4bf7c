import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  GitOpsDirectory,
  GitOpsRepository,
  readGatewayGuardrails,
} from '@gateway-portal/plugin-aws-gateway-node';
import { InMemoryKubernetesClusters } from '@gateway-portal/plugin-aws-gateway-node/testUtils';
import yaml from 'yaml';
import { createRenderControllerAction } from '../controller/renderController';
import { examples as controllerExamples } from '../controller/renderController.examples';
import { createRenderEndpointAction } from '../endpoint/renderEndpoint';
import { examples as endpointExamples } from '../endpoint/renderEndpoint.examples';
import {
  ownershipNotEnforced,
  testActionContext,
  testGuardrails,
} from '../support/__testUtils__/testContext';
import { createGitOpsCommitAction } from './gitopsCommit';
import { examples } from './gitopsCommit.examples';
import { readGitOpsSettings } from './gitopsSettings';
import { RENDERED_FILE_NAME } from './renderedBundle';

// The git side is covered against a real git server in test/integration/gitops.test.ts;
// here the repository records what the action asks of it.
function recordingRepository(
  remote: { branches?: string[]; openPullRequests?: string[] } = {},
) {
  const commitFiles = jest.fn(async (options: any) => ({
    commitSha: options.dryRun ? 'a'.repeat(40) : 'b'.repeat(40),
    commitUrl: `https://git.example.com/platform/gitops/commit/${'b'.repeat(
      40,
    )}`,
    branch: options.branch,
    changed: true,
    branchCreated: false,
    files: options.files.map((f: any) => ({ path: f.path, status: 'added' })),
    attempts: 1,
  }));
  const open = jest.fn(async (request: any) => ({
    number: 12,
    url: `https://git.example.com/platform/gitops/pulls/12?head=${request.head}`,
    created: true,
  }));
  const previewUrl = jest.fn(
    (n: number) => `https://git.example.com/platform/gitops/pulls/${n}`,
  );
  const check = jest.fn((extras: { reviewers?: string[] }) => {
    if (extras.reviewers?.includes('-bad')) {
      throw new Error('reviewers[0]: "-bad" is not valid');
    }
  });
  // The open pull requests into main, by head.
  const findOpen = jest.fn(async (head: string, base: string) =>
    base === 'main' && remote.openPullRequests?.includes(head)
      ? { number: 12, url: 'https://git.example.com/platform/gitops/pulls/12' }
      : undefined,
  );
  const pullRequestOpener = jest.fn(
    async ({ href }: { href: string }, options?: { userToken?: string }) => {
      if (href.includes('gerrit')) {
        throw new Error(
          `repoUrl: ${href} is served by a gerrit integration, which cannot open pull requests here`,
        );
      }
      const source = options?.userToken ? 'user' : 'integration';
      return { type: 'gitea', source, open, previewUrl, check, findOpen };
    },
  );
  const describeRemote = jest.fn(
    async (_repoUrl: unknown, _options?: unknown) => ({
      type: 'gitea',
      defaultBranch: 'main',
      branches: Object.fromEntries(
        ['main', ...(remote.branches ?? [])].map(b => [b, 'c'.repeat(40)]),
      ),
    }),
  );
  // What the Gateway's folder holds now (replace, removeGateway): nothing unless a test says.
  const readFiles = jest.fn(
    async (_repoUrl: unknown, _options: unknown): Promise<GitOpsDirectory> => ({
      files: [],
      branch: 'main',
      commitSha: 'c'.repeat(40),
    }),
  );
  return {
    repository: {
      commitFiles,
      pullRequestOpener,
      describeRemote,
      readFiles,
    } as unknown as GitOpsRepository,
    readFiles,
    commitFiles,
    pullRequestOpener,
    describeRemote,
    open,
    check,
    findOpen,
  };
}

const gatewayGuardrails = readGatewayGuardrails(
  new ConfigReader({
    awsGateway: {
      provisioning: { gateways: { allowedNamespaces: ['default', 'apps'] } },
    },
  }),
);
const guardrails = { gatewayGuardrails, awsGuardrails: testGuardrails() };
const noClusters = new InMemoryKubernetesClusters();

/** The first example of a render action, run for real into `outputDir` of the workspace. */
async function render(
  workspace: string,
  which: 'endpoint' | 'controller',
  outputDir: string,
  change: Record<string, any> = {},
) {
  if (which === 'endpoint') {
    const input = {
      scheme: 'internal',
      sourceCidrs: [],
      targetType: 'ip',
      serverDryRun: true,
      ...yaml.parse(endpointExamples[0].example).steps[0].input,
      outputDir,
      ...change,
    };
    await createRenderEndpointAction({
      guardrails: gatewayGuardrails,
      clusters: noClusters,
      ownership: ownershipNotEnforced(),
    }).handler(testActionContext(input, { workspacePath: workspace }));
  } else {
    const input = {
      serviceAccountNamespace: 'kube-system',
      serviceAccountName: 'aws-load-balancer-controller',
      scheme: 'internal',
      sourceCidrs: [],
      ...yaml.parse(controllerExamples[0].example).steps[0].input,
      outputDir,
      ...change,
    };
    await createRenderControllerAction({
      awsGuardrails: testGuardrails(),
      gatewayGuardrails,
    }).handler(testActionContext(input, { workspacePath: workspace }));
  }
  return fs.readdirSync(path.join(workspace, outputDir)).sort();
}

const settings = readGitOpsSettings(
  new ConfigReader({
    integrations: {
      gitea: [
        {
          host: 'git.example.com',
          baseUrl: 'https://git.example.com',
          username: 'portal',
          password: 'portal-secret',
        },
      ],
    },
    awsGateway: {
      provisioning: {
        gitops: {
          allowedRepoUrls: [
            'https://git.example.com/platform/*',
            'https://gerrit.example.com/*',
          ],
          committer: { name: 'Portal Bot', email: 'bot@example.com' },
        },
      },
    },
  }),
);

describe('aws-gateway:gitops:commit', () => {
  let workspace: string;
  let endpointFiles: string[];
  let controllerFiles: string[];
  beforeEach(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-commit-'));
    endpointFiles = await render(workspace, 'endpoint', 'manifests');
    controllerFiles = await render(workspace, 'controller', 'controller');
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const withDefaults = (input: Record<string, any>): Record<string, any> => ({
    branch: 'main',
    sourcePath: 'manifests',
    overwrite: false,
    ...input,
  });
  const action = (repository: GitOpsRepository) =>
    createGitOpsCommitAction({
      repository,
      settings,
      guardrails,
      ownership: ownershipNotEnforced(),
    });
  const classic = 'gateways/default/aws-tcp-gateway';

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_d, example) => {
      const { repository, commitFiles, open, readFiles } =
        recordingRepository();
      // The classic endpoint as the portal committed it earlier (replace, removeGateway read it).
      const committed = endpointFiles.map(n => ({
        path: `${classic}/${n}`,
        content: fs.readFileSync(path.join(workspace, 'manifests', n), 'utf8'),
      }));
      readFiles.mockResolvedValue({
        files: committed,
        branch: 'main',
        commitSha: 'c'.repeat(40),
      });
      const input = withDefaults(yaml.parse(example).steps[0].input);
      const ctx = testActionContext(input, { workspacePath: workspace });
      await action(repository).handler(ctx);
      expect(commitFiles).toHaveBeenCalledTimes(1);
      const pullRequest = input.mode === 'pull-request';
      expect(open.mock.calls).toEqual(
        pullRequest
          ? [
              [
                {
                  head: input.branch,
                  base: input.baseBranch,
                  title: input.pullRequestTitle,
                  body: input.pullRequestBody,
                  reviewers: input.reviewers,
                  labels: input.labels,
                  draft: input.draft ?? false,
                },
                { signal: ctx.signal },
              ],
            ]
          : [],
      );
      expect(
        (ctx.output as jest.Mock).mock.calls.filter(
          ([k]: [string]) => k === 'pullRequestNumber',
        ),
      ).toEqual(pullRequest ? [['pullRequestNumber', 12]] : []);
      const call = commitFiles.mock.calls[0][0];
      const [targetPath, names] =
        input.sourcePath === 'controller'
          ? ['clusters/demo/aws-load-balancer-controller', controllerFiles]
          : [classic, input.removeGateway ? [] : endpointFiles];
      expect(call.files.map((f: any) => f.path)).toEqual(
        names.map(n => `${targetPath}/${n}`),
      );
      for (const [i, name] of names.slice(0, 1).entries())
        expect(call.files[i].content).toBe(
          fs.readFileSync(path.join(workspace, input.sourcePath, name), 'utf8'),
        );
      // A change or removal replaces exactly what it read, as read; a plain commit replaces nothing.
      expect(call.replaces).toEqual(
        input.replace || input.removeGateway ? committed : undefined,
      );
      expect(call).toMatchObject({
        // RepoUrlPicker's form becomes the host's clone URL.
        repoUrl: {
          href: input.repoUrl.startsWith('https://')
            ? input.repoUrl
            : 'https://git.example.com/platform/gitops.git',
        },
        branch: input.branch,
        overwrite: input.overwrite,
      });
      // The folder is this render's alone: every file it wrote counts as a rendered name, so another render's would conflict.
      expect(call.ownedFiles.directory).toBe(targetPath);
      for (const name of names)
        expect([name, call.ownedFiles.names.test(name)]).toEqual([name, true]);
      expect(call.committer).toEqual({
        name: 'Portal Bot',
        email: 'bot@example.com',
      });
      expect(ctx.output).toHaveBeenCalledWith('commitSha', 'b'.repeat(40));
      expect(ctx.output).toHaveBeenCalledWith('targetPath', targetPath);
    },
  );

  it.each([
    ['tcproute-second-route.yaml', true],
    ['udproute-x.yaml', true],
    ['targetgroupconfiguration-backend.yaml', true],
    ['gatewayclass-aws-nlb.yaml', true],
    ['aws-load-balancer-controller-values.yaml', true],
    ['kustomization.yaml', false],
    ['README.md', false],
    ['tcproute-x.yaml.bak', false],
  ])('counts %s as a rendered file name: %s', (name, rendered) => {
    expect(RENDERED_FILE_NAME.test(name)).toBe(rendered);
  });

  const input = (change: Record<string, any> = {}) =>
    withDefaults({
      repoUrl: 'https://git.example.com/platform/gitops.git',
      commitMessage: 'm',
      ...change,
    });

  it('authors the commit as the task user and commits once across a recovered task', async () => {
    const { repository, commitFiles } = recordingRepository();
    const store = new Map<string, any>();
    const user = {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'jane' },
        spec: {
          profile: { displayName: 'Jane Doe', email: 'jane@example.com' },
        },
      },
    };
    for (let run = 0; run < 2; run++) {
      const ctx = testActionContext(input(), {
        workspacePath: workspace,
        store,
      });
      Object.assign(ctx, { user });
      await action(repository).handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith(
        'files',
        endpointFiles.map(f => `${classic}/${f}`),
      );
    }
    expect(commitFiles).toHaveBeenCalledTimes(1);
    expect(commitFiles.mock.calls[0][0].author).toEqual({
      name: 'Jane Doe',
      email: 'jane@example.com',
    });
  });

  it.each(['lbc-v2.17', 'lbc-v3.2', 'lbc-v3.5'])(
    'accepts an endpoint rendered for %s',
    async controllerProfile => {
      const names = await render(
        workspace,
        'endpoint',
        `rendered-${controllerProfile}`,
        { controllerProfile },
      );
      const { repository, commitFiles } = recordingRepository();
      await action(repository).handler(
        testActionContext(
          input({ sourcePath: `rendered-${controllerProfile}` }),
          { workspacePath: workspace },
        ),
      );
      expect(
        commitFiles.mock.calls[0][0].files.map((f: any) => f.path),
      ).toEqual(names.map(n => `${classic}/${n}`));
    },
  );

  it.each(['v2.17.1', 'v3.3.0', 'v3.5.0'])(
    'accepts a controller setup rendered for %s',
    async controllerVersion => {
      const names = await render(
        workspace,
        'controller',
        `controller-${controllerVersion}`,
        {
          controllerVersion,
          roleArn: 'arn:aws:iam::111122223333:role/backstage/backstage-lbc',
        },
      );
      const { repository, commitFiles } = recordingRepository();
      await action(repository).handler(
        testActionContext(
          input({ sourcePath: `controller-${controllerVersion}` }),
          { workspacePath: workspace },
        ),
      );
      expect(
        commitFiles.mock.calls[0][0].files.map((f: any) => f.path),
      ).toEqual(
        names.map(n => `clusters/demo/aws-load-balancer-controller/${n}`),
      );
    },
  );

  it('computes the commit without pushing in a dry run', async () => {
    const { repository, commitFiles } = recordingRepository();
    const ctx = testActionContext(input(), {
      workspacePath: workspace,
      isDryRun: true,
    });
    await action(repository).handler(ctx);
    expect(commitFiles.mock.calls[0][0].dryRun).toBe(true);
    expect(ctx.checkpoint).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('commitSha', 'a'.repeat(40));
  });

  const write = (file: string, content: string) =>
    fs.writeFileSync(path.join(workspace, file), content);
  const edit = (file: string, change: (text: string) => string) =>
    write(file, change(fs.readFileSync(path.join(workspace, file), 'utf8')));

  it.each<[string, Record<string, any>, () => void, string | RegExp]>([
    [
      'a repository not allowed by configuration',
      { repoUrl: 'https://git.example.com/other/gitops.git' },
      () => undefined,
      'repoUrl: "https://git.example.com/other/gitops.git" is not allowed',
    ],
    [
      'dot segments out of the allowed prefix',
      { repoUrl: 'https://git.example.com/platform/../other/gitops.git' },
      () => undefined,
      'repoUrl: "https://git.example.com/platform/../other/gitops.git" must not have dot segments',
    ],
    [
      'encoded dot segments',
      { repoUrl: 'https://git.example.com/platform/%2e%2e/other/gitops.git' },
      () => undefined,
      'must not percent-encode its path',
    ],
    [
      'a missing source directory',
      { sourcePath: 'nope' },
      () => undefined,
      'sourcePath: workspace directory "nope" does not exist',
    ],
    [
      'a source path outside the workspace',
      { sourcePath: '../..' },
      () => undefined,
      /sourcePath: "..\/.." must stay inside the workspace/,
    ],
    [
      'a foreign kind (a cluster-admin binding)',
      {},
      () =>
        write(
          'manifests/admin.yaml',
          'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: pwn\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n',
        ),
      'files: "admin.yaml" is a ClusterRoleBinding; aws-gateway:gitops:commit commits only what',
    ],
    [
      'a second document hidden in a rendered file',
      {},
      () =>
        edit(
          'manifests/gateway-aws-tcp-gateway.yaml',
          t => `${t}---\nkind: ClusterRoleBinding\n`,
        ),
      'files: "gateway-aws-tcp-gateway.yaml" must hold exactly one YAML document',
    ],
    [
      'a YAML alias bomb',
      {},
      () =>
        write(
          'manifests/gateway-aws-tcp-gateway.yaml',
          `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nkind: Gateway\n`,
        ),
      'files: "gateway-aws-tcp-gateway.yaml" uses YAML aliases, which the render actions never write [not-rendered]',
    ],
    [
      'a field added by hand',
      {},
      () =>
        edit('manifests/gateway-aws-tcp-gateway.yaml', t =>
          t.replace('spec:\n', 'spec:\n  addresses: [{value: 10.0.0.1}]\n'),
        ),
      'files: "gateway-aws-tcp-gateway.yaml" is not what aws-gateway:endpoint:render renders for Gateway default/aws-tcp-gateway',
    ],
    [
      'a rendered file removed',
      {},
      () =>
        fs.rmSync(
          path.join(
            workspace,
            'manifests',
            endpointFiles.find(f => f.startsWith('tcproute'))!,
          ),
        ),
      /is not what aws-gateway:endpoint:render renders|listener-without-route/,
    ],
    [
      'a Gateway in a namespace configuration does not allow',
      {},
      () => {
        for (const f of endpointFiles)
          edit(`manifests/${f}`, t =>
            t.replace(/namespace: default/g, 'namespace: kube-system'),
          );
      },
      /namespace "kube-system" is not allowed.*\[namespace-not-allowed\]/s,
    ],
    [
      'a manifest in another namespace',
      {},
      () =>
        edit(
          `manifests/${endpointFiles.find(f => f.startsWith('tcproute'))}`,
          t => t.replace(/namespace: default/g, 'namespace: apps'),
        ),
      '[namespace-mismatch]',
    ],
    [
      'the same Gateway under a second path',
      { targetPath: 'clusters/prod/default/aws-tcp-gateway' },
      () => undefined,
      `targetPath: "clusters/prod/default/aws-tcp-gateway" is not where the Gateway default/aws-tcp-gateway lives; the repository layout is fixed so one object has one path: ${'gateways/default/aws-tcp-gateway'} [fixed-layout]`,
    ],
    [
      'a symbolic link in the rendered directory',
      {},
      () =>
        fs.symlinkSync(
          '/etc/passwd',
          path.join(workspace, 'manifests/passwd.yaml'),
        ),
      'sourcePath: "manifests/passwd.yaml" is a symbolic link',
    ],
    [
      'Helm values changed by hand (another image)',
      { sourcePath: 'controller' },
      () =>
        edit(
          'controller/aws-load-balancer-controller-values.yaml',
          t => `${t}image:\n  repository: evil.example/controller\n`,
        ),
      'files: "aws-load-balancer-controller-values.yaml" is not what aws-gateway:controller:render renders',
    ],
    [
      'a controller setup for a cluster configuration does not allow',
      { sourcePath: 'controller' },
      () => {
        for (const f of controllerFiles)
          edit(`controller/${f}`, t => t.replace(/\bdemo\b/g, 'prod'));
      },
      /clusterName: "prod" is not allowed/,
    ],
  ])(
    'refuses %s without touching the repository',
    async (_name, change, tamper, message) => {
      tamper();
      const { repository, commitFiles, pullRequestOpener } =
        recordingRepository();
      const ctx = testActionContext(input(change), {
        workspacePath: workspace,
      });
      await expect(action(repository).handler(ctx)).rejects.toThrow(message);
      expect(commitFiles).not.toHaveBeenCalled();
      expect(pullRequestOpener).not.toHaveBeenCalled();
    },
  );

  describe('mode pull-request', () => {
    const prInput = (change: Record<string, any> = {}) =>
      withDefaults({
        repoUrl: 'https://git.example.com/platform/gitops.git',
        mode: 'pull-request',
        branch: 'aws-gateway/gw',
        commitMessage: 'Add gw\n\nmore',
        ...change,
      });

    it('pushes the branch, then opens the pull request into the default branch, once across a recovered task', async () => {
      const { repository, commitFiles, open, describeRemote } =
        recordingRepository();
      const store = new Map<string, any>();
      for (let run = 0; run < 2; run++) {
        const ctx = testActionContext(prInput(), {
          workspacePath: workspace,
          store,
        });
        await action(repository).handler(ctx);
        expect(ctx.output).toHaveBeenCalledWith(
          'pullRequestUrl',
          'https://git.example.com/platform/gitops/pulls/12?head=aws-gateway/gw',
        );
        expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 12);
      }
      expect(describeRemote.mock.calls[0][0]).toMatchObject({
        href: 'https://git.example.com/platform/gitops.git',
      });
      expect(commitFiles).toHaveBeenCalledTimes(1);
      expect(commitFiles.mock.calls[0][0]).toMatchObject({
        branch: 'aws-gateway/gw',
        baseBranch: 'main',
      });
      expect(open).toHaveBeenCalledTimes(1);
      expect(open.mock.calls[0][0]).toEqual({
        head: 'aws-gateway/gw',
        base: 'main',
        title: 'Add gw',
        draft: false,
        body: expect.stringContaining(
          endpointFiles.map(f => `- ${classic}/${f}`).join('\n'),
        ),
      });
      expect(commitFiles.mock.invocationCallOrder[0]).toBeLessThan(
        open.mock.invocationCallOrder[0],
      );
    });

    it('reuses the review branch while its pull request is open; once merged or closed, commits to a new branch from the base', async () => {
      const underReview = recordingRepository({
        branches: ['aws-gateway/gw'],
        openPullRequests: ['aws-gateway/gw'],
      });
      await action(underReview.repository).handler(
        testActionContext(prInput(), { workspacePath: workspace }),
      );
      expect(underReview.commitFiles.mock.calls[0][0]).toMatchObject({
        branch: 'aws-gateway/gw',
      });
      expect(underReview.findOpen).toHaveBeenCalledWith(
        'aws-gateway/gw',
        'main',
        expect.anything(),
      );

      const merged = recordingRepository({ branches: ['aws-gateway/gw'] });
      const ctx = testActionContext(prInput(), { workspacePath: workspace });
      await action(merged.repository).handler(ctx);
      expect(merged.commitFiles.mock.calls[0][0]).toMatchObject({
        branch: 'aws-gateway/gw_2',
        baseBranch: 'main',
      });
      expect(merged.open.mock.calls[0][0]).toMatchObject({
        head: 'aws-gateway/gw_2',
        base: 'main',
      });
      expect(ctx.output).toHaveBeenCalledWith('branch', 'aws-gateway/gw_2');
    });

    it("takes RepoUrlPicker's host?owner&repo (read by parseRepoUrl), the user's token, reviewers, labels and draft", async () => {
      const {
        repository,
        commitFiles,
        open,
        describeRemote,
        pullRequestOpener,
        check,
      } = recordingRepository();
      const ctx = testActionContext(
        prInput({
          repoUrl: 'git.example.com?owner=platform&repo=gitops',
          token: 'user-secret-token',
          reviewers: ['alice'],
          labels: ['gitops'],
          draft: true,
        }),
        { workspacePath: workspace },
      );
      await action(repository).handler(ctx);
      const canonical = { href: 'https://git.example.com/platform/gitops.git' };
      expect(pullRequestOpener).toHaveBeenCalledWith(
        expect.objectContaining(canonical),
        { userToken: 'user-secret-token' },
      );
      expect(check).toHaveBeenCalledWith({
        reviewers: ['alice'],
        labels: ['gitops'],
      });
      expect(describeRemote.mock.calls[0][1]).toMatchObject({
        userToken: 'user-secret-token',
      });
      expect(commitFiles.mock.calls[0][0]).toMatchObject({
        repoUrl: expect.objectContaining(canonical),
        userToken: 'user-secret-token',
      });
      expect(open.mock.calls[0][0]).toMatchObject({
        reviewers: ['alice'],
        labels: ['gitops'],
        draft: true,
      });
      // The token is a secret: in no output and no log line.
      const said = JSON.stringify([
        (ctx.output as jest.Mock).mock.calls,
        (ctx.logger.info as jest.Mock).mock?.calls ?? [],
      ]);
      expect(said).not.toContain('user-secret-token');
    });

    it('refuses bad reviewer names, and reviewers/labels/draft outside mode pull-request, before anything is written', async () => {
      const { repository, commitFiles } = recordingRepository();
      await expect(
        action(repository).handler(
          testActionContext(prInput({ reviewers: ['-bad'] }), {
            workspacePath: workspace,
          }),
        ),
      ).rejects.toThrow('reviewers[0]: "-bad" is not valid');
      await expect(
        action(repository).handler(
          testActionContext(prInput({ mode: 'commit', labels: ['x'] }), {
            workspacePath: workspace,
          }),
        ),
      ).rejects.toThrow('reviewers, labels, draft: only for mode pull-request');
      expect(commitFiles).not.toHaveBeenCalled();
    });

    it('refuses a RepoUrlPicker repository the allow-list does not name: the picker is no guardrail', async () => {
      const { repository, commitFiles } = recordingRepository();
      await expect(
        action(repository).handler(
          testActionContext(
            prInput({ repoUrl: 'git.example.com?owner=other&repo=gitops' }),
            { workspacePath: workspace },
          ),
        ),
      ).rejects.toThrow(
        'repoUrl: "https://git.example.com/other/gitops.git" is not allowed',
      );
      await expect(
        action(repository).handler(
          testActionContext(
            prInput({ repoUrl: 'git.example.com?owner=..&repo=gitops' }),
            { workspacePath: workspace },
          ),
        ),
      ).rejects.toThrow('must not have dot segments');
      await expect(
        action(repository).handler(
          testActionContext(
            prInput({
              repoUrl: 'unknown.example.com?owner=platform&repo=gitops',
            }),
            { workspacePath: workspace },
          ),
        ),
      ).rejects.toThrow('repoUrl: No matching integration configuration');
      expect(commitFiles).not.toHaveBeenCalled();
    });

    it('opens nothing when the task was cancelled after the push', async () => {
      const { repository, commitFiles, open } = recordingRepository();
      const ctx = testActionContext(prInput(), { workspacePath: workspace });
      const cancel = new AbortController();
      Object.assign(ctx, { signal: cancel.signal });
      commitFiles.mockImplementationOnce(async (options: any) => {
        cancel.abort();
        return {
          commitSha: 'b'.repeat(40),
          commitUrl: 'u',
          branch: options.branch,
          changed: true,
          branchCreated: true,
          files: [],
          attempts: 1,
        };
      });
      await expect(action(repository).handler(ctx)).rejects.toThrow(
        'the task was cancelled after the push; no pull request opened',
      );
      expect(open).not.toHaveBeenCalled();
    });

    it('returns the URL shape in a dry run without opening anything', async () => {
      const { repository, open } = recordingRepository();
      const ctx = testActionContext(prInput({ baseBranch: 'main' }), {
        workspacePath: workspace,
        isDryRun: true,
      });
      await action(repository).handler(ctx);
      expect(open).not.toHaveBeenCalled();
      expect(ctx.checkpoint).not.toHaveBeenCalled();
      expect(ctx.output).toHaveBeenCalledWith(
        'pullRequestUrl',
        'https://git.example.com/platform/gitops/pulls/0',
      );
      expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 0);
    });

    it('opens nothing when the base already has the content (no branch was pushed)', async () => {
      const { repository, commitFiles, open } = recordingRepository();
      commitFiles.mockImplementationOnce(async (options: any) => ({
        commitSha: 'c'.repeat(40),
        commitUrl: 'u',
        branch: options.branch,
        changed: false,
        branchCreated: true,
        files: [],
        attempts: 1,
      }));
      const ctx = testActionContext(prInput(), { workspacePath: workspace });
      await action(repository).handler(ctx);
      expect(open).not.toHaveBeenCalled();
      expect(ctx.output).not.toHaveBeenCalledWith(
        'pullRequestUrl',
        expect.anything(),
      );
    });

    it.each([
      [
        'a host that cannot open pull requests',
        { repoUrl: 'https://gerrit.example.com/platform/gitops.git' },
        'repoUrl: https://gerrit.example.com/platform/gitops.git is served by a gerrit integration',
      ],
      [
        'a branch equal to its base',
        { branch: 'main' },
        'branch: mode pull-request needs a branch other than its base "main"',
      ],
    ])('refuses %s before pushing anything', async (_n, change, message) => {
      const { repository, commitFiles, open } = recordingRepository();
      const ctx = testActionContext(prInput(change), {
        workspacePath: workspace,
      });
      await expect(action(repository).handler(ctx)).rejects.toThrow(message);
      expect(commitFiles).not.toHaveBeenCalled();
      expect(open).not.toHaveBeenCalled();
    });
  });
});
