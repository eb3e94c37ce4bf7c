import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ExposedEndpointsPage } from './ExposedEndpointsPage';
import { gatewayResource } from './testing';

const ENTITIES = [
  gatewayResource({ name: 'internal-api', scheme: 'internal', cluster: 'dev' }),
  gatewayResource({ name: 'web', cluster: 'prod' }),
  gatewayResource({
    name: 'open',
    openToWorld: true,
    cluster: 'prod',
    owner: 'group:default/team-b',
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'database', namespace: 'default' },
    spec: { type: 'database', owner: 'team-a' },
  },
];

async function renderPage(entities = ENTITIES) {
  const catalogApi = catalogApiMock({ entities });
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <ExposedEndpointsPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
  return catalogApi;
}

function endpointNames(): string[] {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('rowheader')[0].textContent ?? '');
}

describe('ExposedEndpointsPage', () => {
  it('lists the Gateway Resources only, internet-facing first, with their facts and links', async () => {
    await renderPage();
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    expect(endpointNames()).toEqual([
      expect.stringContaining('shop/open (prod)'),
      expect.stringContaining('shop/web (prod)'),
      expect.stringContaining('shop/internal-api (dev)'),
    ]);
    const open = screen.getAllByRole('row')[1];
    expect(within(open).getByText('Open to the world')).toBeInTheDocument();
    expect(within(open).getByText('Any (0.0.0.0/0, ::/0)')).toBeInTheDocument();
    expect(within(open).getByText('TCP 8080')).toBeInTheDocument();
    expect(within(open).getByText('Programmed')).toBeInTheDocument();
    expect(
      within(open).getByRole('link', {
        name: 'Open shop/open (prod) in the AWS console',
      }),
    ).toHaveAttribute(
      'href',
      expect.stringMatching(
        /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\//,
      ),
    );
    expect(within(open).getByRole('link', { name: 'open' })).toHaveAttribute(
      'href',
      '/catalog/default/component/open',
    );
    expect(
      within(open).getByRole('link', { name: 'team-b' }),
    ).toBeInTheDocument();
    const web = screen.getAllByRole('row')[2];
    expect(within(web).getByText('203.0.113.0/24')).toBeInTheDocument();
    expect(screen.queryByText(/database/)).not.toBeInTheDocument();
  });

  it('filters by scheme, cluster and owner', async () => {
    await renderPage();
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: /Scheme/ }));
    await user.click(screen.getByRole('option', { name: 'Internal' }));
    expect(endpointNames()).toEqual([expect.stringContaining('internal-api')]);
    expect(screen.getByText('1 of 3 endpoints')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /Scheme/ }));
    await user.click(screen.getByRole('option', { name: 'All' }));
    await user.click(screen.getByRole('button', { name: /Owner/ }));
    await user.click(screen.getByRole('option', { name: 'team-b' }));
    expect(endpointNames()).toEqual([expect.stringContaining('shop/open')]);

    await user.click(screen.getByRole('button', { name: /Cluster/ }));
    await user.click(screen.getByRole('option', { name: 'dev' }));
    expect(
      screen.getByText('No endpoint matches these filters.'),
    ).toBeInTheDocument();
  });

  it('says when there is nothing yet', async () => {
    await renderPage([]);
    expect(await screen.findByText(/No endpoints yet/)).toBeInTheDocument();
  });
});
