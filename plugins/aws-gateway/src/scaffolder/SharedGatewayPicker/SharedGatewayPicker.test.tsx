import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
} from '../__testUtils__/fieldTesting';
import { SharedGatewayPicker } from './SharedGatewayPicker';

const render = (api: ReturnType<typeof fakeFormOptionsApi>, value?: string) =>
  renderField(SharedGatewayPicker, {
    api,
    title: 'Shared gateway',
    description: 'One NLB for many endpoints',
    value,
  });

const SHARED = {
  id: 'prod/platform-gateways/shared-nlb',
  cluster: 'prod',
  namespace: 'platform-gateways',
  name: 'shared-nlb',
  title: 'Shared internal NLB',
  protocols: ['TCP', 'UDP'],
  freePorts: [
    { from: 20001, to: 20004 },
    { from: 20010, to: 20010 },
  ],
  takenPorts: [20000],
  pendingPorts: [],
  admits: 'only namespaces labelled shared-nlb=yes',
};

describe('SharedGatewayPicker', () => {
  it('shows that the shared gateways are loading', async () => {
    await render(fakeFormOptionsApi({ listSharedGateways: jest.fn(pending) }));
    expect(screen.getByLabelText('Loading Shared gateway')).toBeInTheDocument();
  });

  it('lists the shared gateways with their free ports, and reports the choice', async () => {
    const api = fakeFormOptionsApi({
      listSharedGateways: jest.fn(async () => [
        SHARED,
        {
          ...SHARED,
          id: 'prod/platform-gateways/full',
          name: 'full',
          title: undefined,
          freePorts: [],
        },
        {
          ...SHARED,
          id: 'prod/platform-gateways/gone',
          title: undefined,
          freePorts: [],
          problem:
            'Gateway platform-gateways/gone does not exist on cluster prod yet',
        },
      ]),
    });
    const { onChange } = await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Shared gateway/ }),
    );
    const list = within(screen.getByRole('listbox'));
    expect(
      list.getByRole('option', {
        name: 'Shared internal NLB (prod/platform-gateways/shared-nlb) — free ports 20001-20004, 20010; TCP/UDP; only namespaces labelled shared-nlb=yes',
      }),
    ).toBeInTheDocument();
    expect(
      list.getByRole('option', {
        name: /^prod\/platform-gateways\/full — no free port left;/,
      }),
    ).toBeInTheDocument();
    expect(
      list.getByRole('option', {
        name: /^prod\/platform-gateways\/gone — Gateway platform-gateways\/gone does not exist on cluster prod yet;/,
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      list.getByRole('option', { name: /^Shared internal NLB/ }),
    );
    expect(onChange).toHaveBeenLastCalledWith(
      'prod/platform-gateways/shared-nlb',
    );
  });

  it('names the TLS host names a gateway that offers TLS allows', async () => {
    const api = fakeFormOptionsApi({
      listSharedGateways: jest.fn(async () => [
        {
          ...SHARED,
          protocols: ['TCP', 'UDP', 'TLS'],
          tlsHostnames: ['*.apps.example.com', 'db.example.com'],
        },
      ]),
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Shared gateway/ }),
    );
    expect(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'Shared internal NLB (prod/platform-gateways/shared-nlb) — free ports 20001-20004, 20010; TCP/UDP/TLS (TLS host names *.apps.example.com, db.example.com); only namespaces labelled shared-nlb=yes',
      }),
    ).toBeInTheDocument();
  });

  it('lists ports pending review; under the chosen gateway each links its pull request, and what is not known is said', async () => {
    const withPending = {
      ...SHARED,
      freePorts: [{ from: 20002, to: 20004 }],
      pendingPorts: [
        {
          port: 20001,
          listenerName: 'team-d-db',
          pullRequestNumber: 7,
          pullRequestUrl: 'https://git.example.com/platform/gitops/pulls/7',
        },
      ],
      pendingNote:
        'only the newest 10 open review pull requests were read: older ones may claim ports too',
    };
    const api = fakeFormOptionsApi({
      listSharedGateways: jest.fn(async () => [withPending]),
    });
    await render(api, withPending.id);
    await userEvent.click(
      await screen.findByRole('button', { name: /Shared gateway/ }),
    );
    expect(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: /— free ports 20002-20004; pending review 20001; TCP\/UDP;/,
      }),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(
      screen.getByText(
        'Port 20001 is pending review (listener team-d-db) in pull request',
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '#7' })).toHaveAttribute(
      'href',
      'https://git.example.com/platform/gitops/pulls/7',
    );
    expect(
      screen.getByText(
        'Free ports may include some that a review still open takes: only the newest 10 open review pull requests were read: older ones may claim ports too',
      ),
    ).toBeInTheDocument();
  });

  it("shows the backend's refusal", async () => {
    await render(
      fakeFormOptionsApi({
        listSharedGateways: jest.fn(async () => {
          throw await responseError(
            503,
            'Cluster prod did not answer within 10 s',
          );
        }),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Cluster prod did not answer within 10 s',
    );
  });
});
