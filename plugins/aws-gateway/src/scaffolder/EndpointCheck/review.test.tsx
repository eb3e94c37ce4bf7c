import fs from 'node:fs';
import path from 'node:path';
import { ReviewState } from '@backstage/plugin-scaffolder-react/alpha';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { parse } from 'yaml';

const TEMPLATE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'templates',
  'expose-tcp-endpoint',
  'template.yaml',
);

const FILES = [
  'gateways/default/aws-tcp-gateway/loadbalancerconfiguration-aws-tcp-gateway.yaml',
  'gateways/default/aws-tcp-gateway/gateway-aws-tcp-gateway.yaml',
];

describe("the expose template's review step", () => {
  it('shows the controller profile and the files the commit will write', async () => {
    const steps: Array<{ title: string }> = parse(
      fs.readFileSync(TEMPLATE, 'utf8'),
    ).spec.parameters;
    const endpoint = steps.find(s => s.title === 'Endpoint')!;
    const formState = {
      scheme: 'internal',
      endpointCheck: {
        controllerProfile: 'lbc-v3.5 (detected on the cluster)',
        files: FILES,
      },
    };
    await renderInTestApp(
      <ReviewState
        formState={formState}
        schemas={[
          {
            title: endpoint.title,
            mergedSchema: endpoint as any,
            schema: endpoint as any,
            uiSchema: {},
          },
        ]}
      />,
    );
    expect(screen.getByText('Target controller profile')).toBeInTheDocument();
    expect(
      screen.getByText('lbc-v3.5 (detected on the cluster)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Files to commit')).toBeInTheDocument();
    for (const file of FILES) {
      expect(screen.getByText(file)).toBeInTheDocument();
    }
    // The scheme shows as the developer chose it.
    expect(screen.getByText('Internal (inside the VPC)')).toBeInTheDocument();
  });
});
