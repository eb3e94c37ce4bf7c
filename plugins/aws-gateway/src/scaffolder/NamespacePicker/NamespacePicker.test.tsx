import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
  shippedGuardrails,
} from '../__testUtils__/fieldTesting';
import { NamespacePicker } from './NamespacePicker';

const render = (
  api: ReturnType<typeof fakeFormOptionsApi>,
  form: { cluster?: string } = { cluster: 'dev' },
  value?: string,
) => renderField(NamespacePicker, { api, title: 'Namespace', form, value });

describe('NamespacePicker', () => {
  it("shows that the cluster's namespaces are loading", async () => {
    const api = fakeFormOptionsApi({ listNamespaces: jest.fn(pending) });
    await render(api);
    expect(screen.getByLabelText('Loading Namespace')).toBeInTheDocument();
    expect(api.listNamespaces).toHaveBeenCalledWith('dev', {
      kubernetesTokens: undefined,
    });
  });

  it('offers the namespaces the user may use on the chosen cluster', async () => {
    const api = fakeFormOptionsApi({
      listNamespaces: jest.fn(async () => ['apps', 'default']),
    });
    const { onChange } = await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Namespace/ }),
    );
    const list = within(screen.getByRole('listbox'));
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'None',
      'apps',
      'default',
    ]);
    await userEvent.click(list.getByRole('option', { name: 'apps' }));
    expect(onChange).toHaveBeenLastCalledWith('apps');
  });

  it('keeps an earlier value the list no longer offers visible', async () => {
    const api = fakeFormOptionsApi({
      listNamespaces: jest.fn(async () => ['apps']),
    });
    await render(api, { cluster: 'dev' }, 'team-a');
    expect(
      await screen.findByText('team-a (not in the list)'),
    ).toBeInTheDocument();
  });

  it('says when no namespace is open to the team', async () => {
    await render(fakeFormOptionsApi());
    expect(
      await screen.findByText(
        "No namespace on cluster dev is open to your team's endpoints; ask your platform team.",
      ),
    ).toBeInTheDocument();
  });

  it('shows a refusal in words for the developer', async () => {
    const api = fakeFormOptionsApi({
      listNamespaces: jest.fn(async () => {
        throw await responseError(
          403,
          'Endpoints cannot be checked against cluster dev; choose a cluster from the list',
        );
      }),
    });
    await render(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Endpoints cannot be checked against cluster dev; choose a cluster from the list',
    );
  });

  it('without a cluster offers the namespaces the platform allows', async () => {
    const api = fakeFormOptionsApi({
      getGuardrails: jest.fn(async () => ({
        ...shippedGuardrails,
        allowedNamespaces: ['default', 'apps'],
      })),
    });
    await render(api, {});
    await userEvent.click(
      await screen.findByRole('button', { name: /Namespace/ }),
    );
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['None', 'default', 'apps']);
    expect(api.listNamespaces).not.toHaveBeenCalled();
  });

  it('without a cluster and with any namespace allowed is free text', async () => {
    const { onChange } = await render(fakeFormOptionsApi(), {});
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Namespace' }),
      'a',
    );
    expect(onChange).toHaveBeenLastCalledWith('a');
    expect(
      screen.getByText(
        'Choose a cluster on this page to pick from its namespaces.',
      ),
    ).toBeInTheDocument();
  });
});
