import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
} from '../__testUtils__/fieldTesting';
import { ServicePortPicker } from './ServicePortPicker';

const withBackend = () =>
  fakeFormOptionsApi({
    listServices: jest.fn(async () => [
      {
        name: 'backend',
        ports: [
          { name: 'tcp', port: 3000, protocol: 'TCP' },
          { name: 'metrics', port: 9090, protocol: 'TCP' },
        ],
      },
      { name: 'empty', ports: [] },
    ]),
  });

const render = (
  api: ReturnType<typeof fakeFormOptionsApi>,
  serviceName?: string,
  value?: number,
) =>
  renderField(ServicePortPicker, {
    api,
    title: 'Service port',
    value,
    form: { cluster: 'dev', namespace: 'default', serviceName },
  });

describe('ServicePortPicker', () => {
  it('shows that the ports are loading', async () => {
    await render(
      fakeFormOptionsApi({ listServices: jest.fn(pending) }),
      'backend',
    );
    expect(screen.getByLabelText('Loading Service port')).toBeInTheDocument();
  });

  it("offers the chosen Service's ports and reports a number", async () => {
    const { onChange } = await render(withBackend(), 'backend', 3000);
    await userEvent.click(
      await screen.findByRole('button', { name: /Service port/ }),
    );
    const list = within(screen.getByRole('listbox'));
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'None',
      '3000/TCP (tcp)',
      '9090/TCP (metrics)',
    ]);
    await userEvent.click(
      list.getByRole('option', { name: '9090/TCP (metrics)' }),
    );
    expect(onChange).toHaveBeenLastCalledWith(9090);
  });

  it('says when the Service has no ports', async () => {
    await render(withBackend(), 'empty');
    expect(
      await screen.findByText('Service empty has no ports.'),
    ).toBeInTheDocument();
  });

  it('shows a failed read in words for the developer', async () => {
    const api = fakeFormOptionsApi({
      listServices: jest.fn(async () => {
        throw await responseError(
          503,
          'Could not list Services in namespace default on cluster dev (ECONNREFUSED); try again in a moment',
        );
      }),
    });
    await render(api, 'backend');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not list Services in namespace default on cluster dev (ECONNREFUSED)',
    );
  });

  it('is a number field until a Service is chosen', async () => {
    const { onChange } = await render(withBackend());
    await userEvent.type(
      await screen.findByRole('spinbutton', { name: 'Service port' }),
      '8',
    );
    expect(onChange).toHaveBeenLastCalledWith(8);
  });
});
