import { ApiHolder } from '@backstage/core-plugin-api';
import { EndpointFormCheck } from '@gateway-portal/plugin-aws-gateway-common';
import { screen, waitFor } from '@testing-library/react';
import { awsGatewayFormOptionsApiRef } from '../api';
import {
  fakeFormOptionsApi,
  pending,
  renderField,
  responseError,
  shippedGuardrails,
} from '../__testUtils__/fieldTesting';
import { EndpointCheck } from './EndpointCheck';
import { validateEndpointCheck } from './validation';

const form = {
  cluster: 'dev',
  namespace: 'default',
  serviceName: 'backend',
  servicePort: 3000,
  gatewayName: 'aws-tcp-gateway',
  listenerName: 'tcp-app',
  listenerPort: 8080,
  protocol: 'TCP',
  routeName: 'tcp-backend-aws',
  scheme: 'internal',
  tlsHostname: '',
};

const FILES = [
  'gateways/default/aws-tcp-gateway/loadbalancerconfiguration-aws-tcp-gateway.yaml',
  'gateways/default/aws-tcp-gateway/gateway-aws-tcp-gateway.yaml',
];

const passing: EndpointFormCheck = {
  guardrails: { ...shippedGuardrails, allowedNamespaces: ['default', 'apps'] },
  controllerProfile: {
    id: 'lbc-v3.5',
    title: 'AWS Load Balancer Controller v3.5',
    source: 'cluster',
  },
  targetPath: 'gateways/default/aws-tcp-gateway',
  files: FILES,
  issues: [],
};

const render = (api: ReturnType<typeof fakeFormOptionsApi>) =>
  renderField(EndpointCheck, { api, title: 'Check before you submit', form });

describe('EndpointCheck', () => {
  it('shows that the endpoint is being checked', async () => {
    await render(fakeFormOptionsApi({ checkEndpoint: jest.fn(pending) }));
    expect(screen.getByLabelText('Checking the endpoint')).toBeInTheDocument();
  });

  it('shows the rules, the profile and the files, and keeps them for the review step', async () => {
    const api = fakeFormOptionsApi({
      checkEndpoint: jest.fn(async () => passing),
    });
    const { onChange } = await render(api);
    expect(
      await screen.findByText('Listener ports: 1024–65535'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Internet-facing endpoints need source CIDRs/),
    ).toBeInTheDocument();
    expect(screen.getByText('Namespaces: default, apps')).toBeInTheDocument();
    expect(screen.getByText(/detected on the cluster/)).toBeInTheDocument();
    expect(screen.getByText(FILES[0])).toBeInTheDocument();
    // Only the endpoint's fields go to the backend; empty ones are left out.
    expect(api.checkEndpoint).toHaveBeenCalledWith(
      expect.not.objectContaining({ tlsHostname: '' }),
      { kubernetesTokens: undefined },
    );
    expect(api.checkEndpoint).toHaveBeenCalledWith(
      expect.objectContaining({ cluster: 'dev', listenerPort: 8080 }),
      { kubernetesTokens: undefined },
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        controllerProfile: 'lbc-v3.5 (detected on the cluster)',
        files: FILES,
      }),
    );
  });

  it('lists what to change in words for the developer', async () => {
    const api = fakeFormOptionsApi({
      checkEndpoint: jest.fn(async () => ({
        ...passing,
        issues: [
          {
            field: 'sourceCidrs',
            rule: 'open-to-world',
            message:
              'An internet-facing endpoint needs source CIDRs that do not cover the whole internet: list who may connect, or choose the internal scheme',
          },
        ],
      })),
    });
    await render(api);
    expect(
      await screen.findByRole('alert', { name: 'What to change' }),
    ).toHaveTextContent('list who may connect, or choose the internal scheme');
  });

  it('says when the check could not run, without a stack trace', async () => {
    const api = fakeFormOptionsApi({
      checkEndpoint: jest.fn(async () => {
        throw await responseError(
          400,
          'listenerPort Expected number, received string',
        );
      }),
    });
    await render(api);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'listenerPort Expected number, received string',
    );
    expect(document.body).not.toHaveTextContent(/Error: at/);
  });

  it('blocks the next step with each issue, and passes when there is none', async () => {
    const addError = jest.fn();
    const failing = fakeFormOptionsApi({
      checkEndpoint: jest.fn(async () => ({
        ...passing,
        issues: [
          {
            field: 'listenerPort',
            rule: 'listener-port-not-allowed',
            message: 'Listener port: 80 is not allowed',
          },
        ],
      })),
    });
    const holder = (api: unknown): ApiHolder => ({
      get: ref =>
        (ref.id === awsGatewayFormOptionsApiRef.id ? api : undefined) as any,
    });
    await validateEndpointCheck({}, { addError } as any, {
      apiHolder: holder(failing),
      formData: form,
      schema: {},
    });
    expect(addError).toHaveBeenCalledWith('Listener port: 80 is not allowed');
    addError.mockClear();
    await validateEndpointCheck({}, { addError } as any, {
      apiHolder: holder(
        fakeFormOptionsApi({ checkEndpoint: jest.fn(async () => passing) }),
      ),
      formData: form,
      schema: {},
    });
    expect(addError).not.toHaveBeenCalled();
  });

  describe('a TLS listener on a shared gateway', () => {
    const shared = {
      ...form,
      gatewayKind: 'shared',
      sharedGateway: 'dev/platform-gateways/shared-nlb',
      protocol: 'TLS',
      tlsHostname: 'db.apps.example.com',
    };
    const TAKEN =
      'Service default/backend already has TargetGroupConfiguration db (proposed in shared-gateway-routes/team-b/db/targetgroupconfiguration-db.yaml by pull request https://git.example.com/platform/gitops/pulls/8): the controller applies only one per Service, and behind a TLS Passthrough listener it must say protocol TCP — expose the Service on TCP, or remove that TargetGroupConfiguration first';
    const BOUND =
      'The TargetGroupConfiguration check could not see every file: not every file below gateways/ and shared-gateway-routes/ on main was read for TargetGroupConfigurations (it stopped at the bound of 1024 files): one for the Service there may be missed';
    const refused: EndpointFormCheck = {
      ...passing,
      issues: [
        {
          field: 'serviceName',
          rule: 'shared-target-group-configuration-taken',
          message: TAKEN,
        },
      ],
      notes: [BOUND],
    };

    it("sends the shared gateway, shows what the action would refuse for the Service's TargetGroupConfiguration and what could not be checked, and blocks the next step", async () => {
      const api = fakeFormOptionsApi({
        checkEndpoint: jest.fn(async () => refused),
      });
      await renderField(EndpointCheck, {
        api,
        title: 'Check before you submit',
        form: shared,
      });
      expect(
        await screen.findByRole('alert', { name: 'What to change' }),
      ).toHaveTextContent(TAKEN);
      const notes = screen.getByRole('status', {
        name: 'Not everything could be checked',
      });
      expect(notes).toHaveTextContent(BOUND);
      expect(notes).toHaveTextContent(/the step checks again when it runs/);
      expect(api.checkEndpoint).toHaveBeenCalledWith(
        expect.objectContaining({
          gatewayKind: 'shared',
          sharedGateway: 'dev/platform-gateways/shared-nlb',
          protocol: 'TLS',
          serviceName: 'backend',
        }),
        { kubernetesTokens: undefined },
      );

      const addError = jest.fn();
      await validateEndpointCheck({}, { addError } as any, {
        apiHolder: {
          get: ref =>
            (ref.id === awsGatewayFormOptionsApiRef.id
              ? api
              : undefined) as any,
        },
        formData: shared,
        schema: {},
      });
      // The refusal blocks; what could not be checked does not.
      expect(addError.mock.calls).toEqual([[TAKEN]]);
    });
  });
});
