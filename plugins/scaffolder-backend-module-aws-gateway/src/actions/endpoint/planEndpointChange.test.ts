import { GitOpsFile } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import {
  CLASSIC_PATH,
  committedClassicEndpoint,
  endpointGuardrails,
  repositoryHolding,
} from '../support/__testUtils__/committedEndpoint';
import { gitopsTestSettings } from '../support/__testUtils__/gitopsTestSettings';
import {
  ownershipNotEnforced,
  testActionContext,
} from '../support/__testUtils__/testContext';
import { createPlanEndpointChangeAction } from './planEndpointChange';
import { examples } from './planEndpointChange.examples';

function action(files: GitOpsFile[]) {
  const { repository, readFiles } = repositoryHolding(files);
  return {
    readFiles,
    action: createPlanEndpointChangeAction({
      repository,
      settings: gitopsTestSettings,
      guardrails: endpointGuardrails,
      ownership: ownershipNotEnforced(),
    }),
  };
}

const outputs = (ctx: ReturnType<typeof testActionContext>) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

const classicInput = (change: Record<string, any> = {}) => ({
  repoUrl: 'https://git.example.com/platform/gitops.git',
  branch: 'main',
  namespace: 'default',
  name: 'aws-tcp-gateway',
  entityRef: 'component:default/backend',
  change,
});

describe('aws-gateway:endpoint:plan-change', () => {
  let committed: GitOpsFile[];
  beforeAll(async () => {
    committed = await committedClassicEndpoint();
  });

  it('runs the first example: the port and the source CIDRs change, the rest is kept', async () => {
    const { action: plan, readFiles } = action(committed);
    const ctx = testActionContext(
      yaml.parse(examples[0].example).steps[0].input,
    );
    await plan.handler(ctx);
    expect(readFiles).toHaveBeenCalledWith(
      expect.objectContaining({
        href: 'https://git.example.com/platform/gitops.git',
      }),
      expect.objectContaining({ directory: CLASSIC_PATH, branch: 'main' }),
    );
    const out = outputs(ctx);
    expect(out.listeners).toEqual([
      { name: 'tcp-app', protocol: 'TCP', port: 9090 },
    ]);
    expect(out.sourceCidrs).toEqual(['203.0.113.0/24', '198.51.100.0/24']);
    expect(out.scheme).toBe('internet-facing');
    expect(out.routes).toEqual([
      {
        name: 'tcp-backend-aws',
        listener: 'tcp-app',
        backends: [{ service: 'backend', port: 3000 }],
      },
    ]);
    expect(out.entityRef).toBe('component:default/backend');
    expect(out.kubernetesId).toBe('backend');
    expect(out.controllerProfile).toBe('lbc-v3.5');
    expect(out.changes).toEqual([
      'listener tcp-app: port 8080 → 9090',
      'source CIDRs 203.0.113.0/24 → 203.0.113.0/24, 198.51.100.0/24',
    ]);
    expect(out.files).toEqual(committed.map(f => f.path));
  });

  it('runs the second example: internal, another backend', async () => {
    const { action: plan } = action(committed);
    const ctx = testActionContext(
      yaml.parse(examples[1].example).steps[0].input,
    );
    await plan.handler(ctx);
    const out = outputs(ctx);
    expect(out.scheme).toBe('internal');
    expect(out.sourceCidrs).toEqual([]);
    expect(out.routes[0].backends).toEqual([
      { service: 'backend-v2', port: 3000 },
    ]);
  });

  it('refuses a change the guardrails forbid, naming the field and the rule', async () => {
    const { action: plan } = action(committed);
    await expect(
      plan.handler(
        testActionContext(classicInput({ sourceCidrs: ['0.0.0.0/0'] })),
      ),
    ).rejects.toThrow(/sourceCidrs.*\[/);
  });

  it('refuses a new protocol for a listener of a Gateway of its own (only a shared listener changes protocol)', async () => {
    const { action: plan } = action(committed);
    await expect(
      plan.handler(
        testActionContext(classicInput({ listeners: [{ protocol: 'UDP' }] })),
      ),
    ).rejects.toThrow(
      /change.listeners\[0\].protocol: listener tcp-app of a Gateway of its own keeps its protocol \(TCP\).*\[listener-protocol-fixed\]/,
    );
  });

  it('refuses a listener or route the Gateway does not have', async () => {
    const { action: plan } = action(committed);
    await expect(
      plan.handler(
        testActionContext(
          classicInput({ listeners: [{ name: 'nope', port: 9090 }] }),
        ),
      ),
    ).rejects.toThrow(
      'change.listeners[0].name: "nope" is not a listener of the Gateway (tcp-app)',
    );
  });

  it('refuses a manifest without the portal label', async () => {
    const foreign = committed.map(f =>
      f.path.includes('/gateway-')
        ? {
            ...f,
            content: f.content.replace(
              'app.kubernetes.io/managed-by: backstage-aws-gateway',
              'app.kubernetes.io/managed-by: helm',
            ),
          }
        : f,
    );
    const { action: plan } = action(foreign);
    await expect(
      plan.handler(testActionContext(classicInput())),
    ).rejects.toThrow(
      `${CLASSIC_PATH} on main: files: "gateway-aws-tcp-gateway.yaml" has no app.kubernetes.io/managed-by: backstage-aws-gateway label: the portal did not write it, and edits or removes only what it wrote [endpoint-not-ours]`,
    );
  });

  it('refuses a hand-edited manifest, whose edit a re-render would lose', async () => {
    const edited = committed.map(f =>
      f.path.includes('/loadbalancerconfiguration-')
        ? {
            ...f,
            content: `${f.content}  # keep this\n  ipAddressType: dualstack\n`,
          }
        : f,
    );
    const { action: plan } = action(edited);
    await expect(
      plan.handler(testActionContext(classicInput())),
    ).rejects.toThrow(
      /loadbalancerconfiguration-aws-tcp-gateway\.yaml" is not what aws-gateway:endpoint:render wrote .*\[endpoint-hand-edited\]/,
    );
  });

  it('refuses an endpoint of another component', async () => {
    const { action: plan } = action(committed);
    await expect(
      plan.handler(
        testActionContext({
          ...classicInput(),
          entityRef: 'component:default/payments',
        }),
      ),
    ).rejects.toThrow(
      'Gateway default/aws-tcp-gateway belongs to component:default/backend, not to component:default/payments [endpoint-entity-mismatch]',
    );
  });

  it('says when there is nothing to change, and a repository not allowed is refused before any read', async () => {
    const { action: plan, readFiles } = action([]);
    await expect(
      plan.handler(testActionContext(classicInput())),
    ).rejects.toThrow(/has no manifests the portal wrote/);
    readFiles.mockClear();
    await expect(
      plan.handler(
        testActionContext({
          ...classicInput(),
          repoUrl: 'https://evil.example.com/platform/gitops.git',
        }),
      ),
    ).rejects.toThrow(/repoUrl/);
    expect(readFiles).not.toHaveBeenCalled();
  });
});
