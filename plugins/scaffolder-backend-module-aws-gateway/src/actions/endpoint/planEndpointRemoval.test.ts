import { GitOpsFile } from '@gateway-portal/plugin-aws-gateway-node';
import yaml from 'yaml';
import {
  committedClassicEndpoint,
  repositoryHolding,
} from '../support/__testUtils__/committedEndpoint';
import { gitopsTestSettings } from '../support/__testUtils__/gitopsTestSettings';
import {
  ownershipNotEnforced,
  testActionContext,
} from '../support/__testUtils__/testContext';
import { createPlanEndpointRemovalAction } from './planEndpointRemoval';
import { examples } from './planEndpointRemoval.examples';

function action(files: GitOpsFile[]) {
  return createPlanEndpointRemovalAction({
    repository: repositoryHolding(files).repository,
    settings: gitopsTestSettings,
    ownership: ownershipNotEnforced(),
  });
}

const outputs = (ctx: ReturnType<typeof testActionContext>) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

describe('aws-gateway:endpoint:plan-removal', () => {
  let committed: GitOpsFile[];
  beforeAll(async () => {
    committed = await committedClassicEndpoint();
  });

  it('runs the example: lists the files the removal deletes, leaving others alone', async () => {
    const kustomization = {
      path: 'gateways/default/aws-tcp-gateway/kustomization.yaml',
      content: 'resources: []\n',
    };
    const ctx = testActionContext(
      yaml.parse(examples[0].example).steps[0].input,
    );
    await action([...committed, kustomization]).handler(ctx);
    expect(outputs(ctx)).toEqual({
      gatewayRef: 'default/aws-tcp-gateway',
      files: committed.map(f => f.path),
      otherFiles: [kustomization.path],
      controllerProfile: 'lbc-v3.5',
    });
  });

  it('says an endpoint already removed has nothing to remove', async () => {
    const ctx = testActionContext(
      yaml.parse(examples[0].example).steps[0].input,
    );
    await action([]).handler(ctx);
    expect(outputs(ctx).files).toEqual([]);
  });

  it('refuses a folder holding an object the portal did not write', async () => {
    const secret = {
      path: 'gateways/default/aws-tcp-gateway/tcproute-extra.yaml',
      content: yaml.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'extra', namespace: 'default' },
      }),
    };
    await expect(
      action([...committed, secret]).handler(
        testActionContext(yaml.parse(examples[0].example).steps[0].input),
      ),
    ).rejects.toThrow(
      /"tcproute-extra\.yaml" is a Secret, not one of the objects aws-gateway:endpoint:render writes.*\[endpoint-not-ours\]/,
    );
  });
});
