import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { entity } from '../../testing/fixtures';
import { MissingAnnotationState } from './MissingAnnotationState';
import { NoGatewaysState, templatePath } from './NoGatewaysState';
import { NotConfiguredState } from './NotConfiguredState';
import { PartialErrorPanel } from './PartialErrorPanel';

/** The text of the highlighted code snippet, which splits it into spans. */
function codeBlockText(): string {
  return document.querySelector('pre code')?.textContent ?? '';
}

describe('NoGatewaysState', () => {
  it('links to the template named in awsGateway.exposeTemplateRef', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            configApiRef,
            mockApis.config({
              data: {
                awsGateway: {
                  exposeTemplateRef: 'template:platform/public-tcp',
                },
              },
            }),
          ],
        ]}
      >
        <NoGatewaysState entityRef="component:default/payments" />
      </TestApiProvider>,
    );

    expect(
      screen.getByRole('link', { name: 'Expose a TCP endpoint' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/platform/public-tcp?formData=${encodeURIComponent(
        '{"component":"component:default/payments"}',
      )}`,
    );
  });

  it('turns template refs into scaffolder paths, defaulting kind and namespace', () => {
    expect(templatePath('template:default/expose-tcp-endpoint')).toBe(
      '/create/templates/default/expose-tcp-endpoint',
    );
    expect(templatePath('expose-tcp-endpoint')).toBe(
      '/create/templates/default/expose-tcp-endpoint',
    );
    expect(templatePath('Template:team-a/expose')).toBe(
      '/create/templates/team-a/expose',
    );
  });
});

describe('MissingAnnotationState', () => {
  it('shows both annotations in an example for this entity', async () => {
    await renderInTestApp(<MissingAnnotationState entity={entity} />);

    const example = codeBlockText();
    expect(example).toContain('kind: Component');
    expect(example).toContain('backstage.io/kubernetes-id: payments');
    expect(example).toContain(
      'aws-gateway.io/gateways: my-cluster/payments/payments-gateway',
    );
  });
});

describe('NotConfiguredState', () => {
  it('shows a cluster configuration for the Kubernetes plugin', async () => {
    await renderInTestApp(<NotConfiguredState />);

    expect(
      screen.getByText('No Kubernetes cluster configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/under kubernetes\.clusterLocatorMethods in app-config/),
    ).toBeInTheDocument();
    const example = codeBlockText();
    expect(example).toContain('clusterLocatorMethods:');
    expect(example).toContain('authProvider: aws');
  });
});

describe('PartialErrorPanel', () => {
  it('lists every failed part with its kind and message', async () => {
    await renderInTestApp(
      <PartialErrorPanel
        errors={[
          {
            part: 'aws',
            kind: 'not-configured',
            message: 'No AWS account for 123456789012',
          },
          { part: 'catalog', kind: 'not-found', message: 'Entity vanished' },
        ]}
      />,
    );

    expect(screen.getByText('AWS, not configured:')).toBeInTheDocument();
    expect(
      screen.getByText(/No AWS account for 123456789012/),
    ).toBeInTheDocument();
    expect(screen.getByText('Catalog, not found:')).toBeInTheDocument();
  });

  it('renders nothing when nothing failed', async () => {
    await renderInTestApp(<PartialErrorPanel errors={[]} />);

    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
