import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FormEndpoint } from '@gateway-portal/plugin-aws-gateway-common';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
} from '../__testUtils__/fieldTesting';
import { EndpointPicker } from './EndpointPicker';

const TITLE = 'Gateway or route name';
const FORM = {
  component: 'component:default/orders',
  cluster: 'dev',
  namespace: 'apps',
};

const ownGateway: FormEndpoint = {
  name: 'orders-db',
  kind: 'gateway',
  listeners: [
    { name: 'pg', port: 5432, protocol: 'TCP' },
    {
      name: 'tls',
      port: 443,
      protocol: 'TLS',
      hostname: 'db.apps.example.com',
    },
  ],
};
const sharedTls: FormEndpoint = {
  name: 'orders-tls',
  kind: 'shared-listener',
  listeners: [
    {
      name: 'apps-orders-tls',
      port: 20043,
      protocol: 'TLS',
      hostname: 'orders.apps.example.com',
    },
  ],
  sharedGateway: {
    id: 'dev/infra/shared',
    title: 'Shared NLB',
    protocols: ['TCP', 'TLS'],
    tlsHostnames: ['*.apps.example.com', 'db.example.com'],
  },
};

const render = (
  api: ReturnType<typeof fakeFormOptionsApi>,
  options: {
    form?: Record<string, string>;
    value?: string;
    uiSchema?: object;
  } = {},
) =>
  renderField(EndpointPicker, {
    api,
    title: TITLE,
    form: options.form ?? FORM,
    value: options.value,
    uiSchema: options.uiSchema,
  });

const listing = (endpoints: FormEndpoint[], problem?: string) =>
  jest.fn(async () => ({ endpoints, ...(problem ? { problem } : {}) }));

describe('EndpointPicker', () => {
  it('says what to pick first, and takes a typed name meanwhile', async () => {
    const api = fakeFormOptionsApi();
    const { onChange } = await render(api, {
      form: { component: FORM.component, namespace: 'apps' },
    });
    expect(
      screen.getByText(
        'Choose a cluster on this page to pick from the endpoints live on the cluster, or type the name.',
      ),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: TITLE }), 'd');
    expect(onChange).toHaveBeenLastCalledWith('d');
    expect(api.listEndpoints).not.toHaveBeenCalled();
  });

  it('names every value still missing', async () => {
    await render(fakeFormOptionsApi(), { form: {} });
    expect(
      screen.getByText(
        'Choose a component, a cluster, and a namespace on this page to pick from the endpoints live on the cluster, or type the name.',
      ),
    ).toBeInTheDocument();
  });

  it("shows that the component's endpoints are loading, asked with the user's tokens", async () => {
    const api = fakeFormOptionsApi({ listEndpoints: jest.fn(pending) });
    await render(api);
    expect(screen.getByLabelText(`Loading ${TITLE}`)).toBeInTheDocument();
    expect(api.listEndpoints).toHaveBeenCalledWith(
      { cluster: 'dev', namespace: 'apps', entityRef: FORM.component },
      { kubernetesTokens: undefined },
    );
  });

  it('offers the endpoints with what they are and their listeners; the pick sets the name', async () => {
    const api = fakeFormOptionsApi({
      listEndpoints: listing([ownGateway, sharedTls]),
    });
    const { onChange } = await render(api);
    const input = await screen.findByRole('textbox', { name: TITLE });
    await userEvent.click(input);
    const list = within(await screen.findByRole('listbox'));
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'orders-db — own gateway; TCP 5432, TLS 443 db.apps.example.com',
      'orders-tls — listener on shared gateway Shared NLB; TLS 20043 orders.apps.example.com',
    ]);
    await userEvent.click(list.getAllByRole('option')[0]);
    expect(onChange).toHaveBeenLastCalledWith('orders-db');
    expect(
      screen.getByText(
        'An endpoint still in review (its pull request not merged and applied) is not live yet: type its name.',
      ),
    ).toBeInTheDocument();
  });

  it('keeps a typed name the list does not have (an endpoint in review)', async () => {
    const api = fakeFormOptionsApi({ listEndpoints: listing([ownGateway]) });
    const { onChange } = await render(api);
    const input = await screen.findByRole('textbox', { name: TITLE });
    await userEvent.type(input, 'n');
    expect(onChange).toHaveBeenLastCalledWith('n');
  });

  it('under a shared listener, shows the TLS host names its gateway allows', async () => {
    const api = fakeFormOptionsApi({
      listEndpoints: listing([ownGateway, sharedTls]),
    });
    await render(api, { value: 'orders-tls' });
    expect(
      await screen.findByText(
        'TLS host names allowed on shared gateway Shared NLB: *.apps.example.com, db.example.com. A new TLS host name must be one of them; any other is refused before anything is written.',
      ),
    ).toBeInTheDocument();
  });

  it("shows no host names under the component's own gateway", async () => {
    const api = fakeFormOptionsApi({
      listEndpoints: listing([ownGateway, sharedTls]),
    });
    await render(api, { value: 'orders-db' });
    await screen.findByRole('textbox', { name: TITLE });
    expect(
      screen.queryByText(/TLS host names allowed/),
    ).not.toBeInTheDocument();
  });

  it('says when none is live, naming the component and namespace', async () => {
    const { onChange } = await render(fakeFormOptionsApi());
    expect(
      await screen.findByText(
        'No endpoint of component:default/orders is live in apps; type its name.',
      ),
    ).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: TITLE }), 'x');
    expect(onChange).toHaveBeenLastCalledWith('x');
  });

  it('shows what the backend could not read', async () => {
    const partly = fakeFormOptionsApi({
      listEndpoints: listing(
        [ownGateway],
        'Only the first 200 Gateways of the portal in namespace apps were read; if yours is not listed, type its name',
      ),
    });
    await render(partly);
    expect(
      await screen.findByText(/^Only the first 200 Gateways/),
    ).toBeInTheDocument();
  });

  it("shows a refusal in the backend's words, without its stack, and keeps the field typeable", async () => {
    const api = fakeFormOptionsApi({
      listEndpoints: jest.fn(async () => {
        throw await responseError(
          403,
          'Namespace apps belongs to another team; choose a namespace of your team',
        );
      }),
    });
    await render(api);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Namespace apps belongs to another team; choose a namespace of your team',
    );
    expect(alert).not.toHaveTextContent('internal.ts');
    expect(screen.getByRole('textbox', { name: TITLE })).toBeInTheDocument();
  });

  it('reads the sibling fields ui:options names', async () => {
    const api = fakeFormOptionsApi();
    await render(api, {
      form: { app: 'component:team/web', where: 'prod', ns: 'web' },
      uiSchema: {
        'ui:options': {
          componentField: 'app',
          clusterField: 'where',
          namespaceField: 'ns',
        },
      },
    });
    expect(api.listEndpoints).toHaveBeenCalledWith(
      { cluster: 'prod', namespace: 'web', entityRef: 'component:team/web' },
      { kubernetesTokens: undefined },
    );
  });
});
