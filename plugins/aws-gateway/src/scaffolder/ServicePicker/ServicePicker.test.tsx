import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
} from '../__testUtils__/fieldTesting';
import { ServicePicker } from './ServicePicker';

const services = [
  {
    name: 'backend',
    type: 'ClusterIP',
    ports: [
      { name: 'tcp', port: 3000, protocol: 'TCP' },
      { port: 9090, protocol: 'TCP' },
    ],
  },
  { name: 'dns', ports: [{ port: 53, protocol: 'UDP' }] },
];

const render = (
  api: ReturnType<typeof fakeFormOptionsApi>,
  form: { cluster?: string; namespace?: string } = {
    cluster: 'dev',
    namespace: 'default',
  },
) => renderField(ServicePicker, { api, title: 'Service', form });

describe('ServicePicker', () => {
  it('shows that the Services are loading', async () => {
    const api = fakeFormOptionsApi({ listServices: jest.fn(pending) });
    await render(api);
    expect(screen.getByLabelText('Loading Service')).toBeInTheDocument();
    expect(api.listServices).toHaveBeenCalledWith('dev', 'default', {
      kubernetesTokens: undefined,
    });
  });

  it('lists the Services with their ports and reports the choice', async () => {
    const api = fakeFormOptionsApi({
      listServices: jest.fn(async () => services),
    });
    const { onChange } = await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Service/ }),
    );
    const list = within(screen.getByRole('listbox'));
    expect(
      list.getByRole('option', { name: 'backend — 3000/TCP (tcp), 9090/TCP' }),
    ).toBeInTheDocument();
    await userEvent.click(list.getByRole('option', { name: 'dns — 53/UDP' }));
    expect(onChange).toHaveBeenLastCalledWith('dns');
  });

  it('says when the namespace has no Service', async () => {
    await render(fakeFormOptionsApi());
    expect(
      await screen.findByText(
        'There is no Service in dev/default yet; deploy it first, or type its name.',
      ),
    ).toBeInTheDocument();
  });

  it("shows another team's namespace refused, without a stack trace", async () => {
    const api = fakeFormOptionsApi({
      listServices: jest.fn(async () => {
        throw await responseError(
          403,
          'Namespace team-a-apps belongs to another team; choose a namespace of your team',
        );
      }),
    });
    await render(api, { cluster: 'dev', namespace: 'team-a-apps' });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Namespace team-a-apps belongs to another team',
    );
    expect(document.body).not.toHaveTextContent(/Error: at/);
  });

  it('is free text until a cluster and namespace are chosen', async () => {
    const api = fakeFormOptionsApi();
    await render(api, { namespace: 'default' });
    expect(
      await screen.findByRole('textbox', { name: 'Service' }),
    ).toBeInTheDocument();
    expect(api.listServices).not.toHaveBeenCalled();
  });
});
