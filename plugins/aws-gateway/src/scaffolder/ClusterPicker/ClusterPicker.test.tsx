import { CONTROLLER_PROFILES } from '@gateway-portal/plugin-aws-gateway-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
} from '../__testUtils__/fieldTesting';
import { ClusterPicker } from './ClusterPicker';

const render = (api: ReturnType<typeof fakeFormOptionsApi>, value?: string) =>
  renderField(ClusterPicker, {
    api,
    title: 'Cluster',
    description: 'Where `<namespace>` lives',
    value,
  });

describe('ClusterPicker', () => {
  it('shows that the clusters are loading', async () => {
    await render(fakeFormOptionsApi({ listClusters: jest.fn(pending) }));
    expect(screen.getByLabelText('Loading Cluster')).toBeInTheDocument();
  });

  it('lists the clusters with the detected controller profile, and reports the choice', async () => {
    const api = fakeFormOptionsApi({
      listClusters: jest.fn(async () => [
        {
          name: 'dev',
          title: 'Development',
          controllerProfile: {
            id: 'lbc-v3.5' as const,
            title: CONTROLLER_PROFILES['lbc-v3.5'].title,
          },
        },
        {
          name: 'legacy',
          problem: 'Cluster legacy did not answer within 10 s',
        },
      ]),
    });
    const { onChange } = await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Cluster/ }),
    );
    const list = within(screen.getByRole('listbox'));
    expect(
      list.getByRole('option', {
        name: /Development \(dev\) — lbc-v3\.5: AWS Load Balancer Controller/,
      }),
    ).toBeInTheDocument();
    expect(
      list.getByRole('option', {
        name: 'legacy — Cluster legacy did not answer within 10 s',
      }),
    ).toBeInTheDocument();
    await userEvent.click(list.getByRole('option', { name: /^Development/ }));
    expect(onChange).toHaveBeenLastCalledWith('dev');
  });

  it('keeps the help text placeholder literal', async () => {
    await render(fakeFormOptionsApi());
    expect(await screen.findByText('<namespace>')).toBeInTheDocument();
  });

  it('says when no cluster is set up for endpoints', async () => {
    await render(fakeFormOptionsApi());
    expect(
      await screen.findByText(/No cluster is set up for endpoints yet/),
    ).toBeInTheDocument();
  });

  it("shows the backend's refusal without a stack trace and lets the developer type", async () => {
    const api = fakeFormOptionsApi({
      listClusters: jest.fn(async () => {
        throw await responseError(
          503,
          'Cluster dev did not answer within 10 s',
        );
      }),
    });
    const { onChange } = await render(api);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cluster dev did not answer within 10 s');
    expect(document.body).not.toHaveTextContent(/internal\.ts|Error: at/);
    await userEvent.type(screen.getByRole('textbox', { name: 'Cluster' }), 'x');
    expect(onChange).toHaveBeenLastCalledWith('x');
  });
});
