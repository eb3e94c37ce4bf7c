import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  EndpointFormCheck,
  FormClustersResponse,
  FormEndpointsResponse,
  FormGuardrails,
  FormNamespacesResponse,
  FormServicesResponse,
  FormSharedGatewaysResponse,
  isDnsLabel,
  normaliseEntityRef,
} from '@gateway-portal/plugin-aws-gateway-common';
import {
  KubernetesClusters,
  UserKubernetesCredentials,
} from '@gateway-portal/plugin-aws-gateway-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { checkEndpointForm } from './endpointCheck';
import { EndpointFormOptions } from './endpointOptions';
import { FormOptionsService } from './FormOptionsService';
import { SharedGatewayFormOptions } from './sharedGatewayOptions';

export interface FormOptionsRouterOptions {
  config: RootConfigService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  /** The Kubernetes plugin's clusters (the plugin passes `KubernetesPluginClusters`). */
  clusters: KubernetesClusters;
  /** Built from configuration and `clusters` when absent. */
  service?: FormOptionsService;
  /** Built from configuration and `service` when absent. */
  sharedGateways?: SharedGatewayFormOptions;
  /** Built from configuration and `service` when absent. */
  endpoints?: EndpointFormOptions;
}

// Kubernetes object names: DNS labels (namespaces) and configured cluster names.
const NAME = z.string().refine(isDnsLabel, 'must be a DNS label');
const CLUSTER = z
  .string()
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    'must be a cluster name',
  );

/** How the change and remove templates' component is read: kind component, namespace default. */
const ENTITY_REF_DEFAULTS = {
  defaultKind: 'component',
  defaultNamespace: 'default',
};

/** The endpoint picker's query: the cluster and namespace by the rules above, the component as an entity ref. */
const endpointsQuerySchema = z.object({
  cluster: CLUSTER,
  namespace: NAME,
  entityRef: z
    .string()
    .max(400)
    .transform((ref, ctx) => {
      try {
        // Parsed as the catalog parses it, then compared with what objects claim.
        return normaliseEntityRef(ref, ENTITY_REF_DEFAULTS);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an entity ref ([kind:][namespace/]name)',
        });
        return z.NEVER;
      }
    }),
});

const port = z.number().int();
/** What the expose form sends; unknown keys are dropped, every value is optional while the form is filled. */
const endpointFormSchema = z.object({
  cluster: z.string().max(63).optional(),
  namespace: z.string().max(253).optional(),
  serviceName: z.string().max(253).optional(),
  servicePort: port.optional(),
  gatewayName: z.string().max(253).optional(),
  listenerName: z.string().max(253).optional(),
  listenerPort: port.optional(),
  protocol: z.enum(['TCP', 'UDP', 'TLS']).optional(),
  tlsHostname: z.string().max(253).optional(),
  routeName: z.string().max(253).optional(),
  scheme: z.enum(['internet-facing', 'internal']).optional(),
  sourceCidrs: z.array(z.string().max(64)).max(100).optional(),
  controllerProfile: z.string().max(32).optional(),
  gatewayKind: z.enum(['new', 'shared']).optional(),
  // <cluster>/<namespace>/<name>: only a configured shared gateway's id is ever looked at.
  sharedGateway: z.string().max(400).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || 'request'} ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}

/** Ends with the HTTP request: a developer who leaves the form stops the cluster reads. */
function requestSignal(res: express.Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * `/form-options/…`: what the expose template's pickers show, for signed-in
 * users only. Thin: the service decides what each user may see.
 */
export async function createFormOptionsRouter(
  options: FormOptionsRouterOptions,
): Promise<express.Router> {
  const { config, logger, httpAuth, userInfo, clusters } = options;
  const service =
    options.service ??
    FormOptionsService.fromConfig(config, { logger, userInfo, clusters });
  const forms = Router();
  forms.use(express.json({ limit: '16kb' }));
  /** A read for a signed-in user that ends with the request; the answer is the handler's. */
  const userRead =
    <T>(
      handler: (
        req: express.Request,
        credentials: BackstageCredentials,
        signal: AbortSignal,
        userCredentials: UserKubernetesCredentials,
      ) => Promise<T>,
    ) =>
    async (req: express.Request, res: express.Response) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      // The user's own tokens for clusters that take them, for this request only.
      const userCredentials = UserKubernetesCredentials.fromHeaders(
        req.headers,
      );
      res.json(
        await handler(req, credentials, requestSignal(res), userCredentials),
      );
    };

  forms.get(
    '/guardrails',
    userRead(async (): Promise<FormGuardrails> => service.guardrails()),
  );

  forms.get(
    '/clusters',
    userRead(
      async (
        _req,
        _credentials,
        signal,
        userCredentials,
      ): Promise<FormClustersResponse> => ({
        clusters: await service.listClusters(signal, userCredentials),
      }),
    ),
  );

  forms.get(
    '/clusters/:cluster/namespaces',
    userRead(
      async (
        req,
        credentials,
        signal,
        userCredentials,
      ): Promise<FormNamespacesResponse> => ({
        namespaces: await service.listNamespaces(
          parse(CLUSTER, req.params.cluster),
          credentials,
          signal,
          userCredentials,
        ),
      }),
    ),
  );

  forms.get(
    '/clusters/:cluster/namespaces/:namespace/services',
    userRead(
      async (
        req,
        credentials,
        signal,
        userCredentials,
      ): Promise<FormServicesResponse> => ({
        services: await service.listServices(
          parse(CLUSTER, req.params.cluster),
          parse(NAME, req.params.namespace),
          credentials,
          signal,
          userCredentials,
        ),
      }),
    ),
  );

  const sharedGateways =
    options.sharedGateways ??
    SharedGatewayFormOptions.fromConfig(config, { service, logger });

  forms.post(
    '/endpoint-check',
    userRead(
      async (
        req,
        credentials,
        signal,
        userCredentials,
      ): Promise<EndpointFormCheck> =>
        checkEndpointForm({
          userCredentials,
          values: parse(endpointFormSchema, req.body ?? {}),
          service,
          guardrails: service.gatewayGuardrails(),
          user: await service.user(credentials),
          logger,
          signal,
          sharedGateways,
        }),
    ),
  );

  forms.get(
    '/shared-gateways',
    userRead(
      async (
        _req,
        _credentials,
        signal,
      ): Promise<FormSharedGatewaysResponse> => ({
        sharedGateways: await sharedGateways.list(signal),
      }),
    ),
  );

  const endpoints =
    options.endpoints ?? EndpointFormOptions.fromConfig(config, { service });

  forms.get(
    '/endpoints',
    userRead(
      async (
        req,
        credentials,
        signal,
        userCredentials,
      ): Promise<FormEndpointsResponse> =>
        endpoints.list(
          parse(endpointsQuerySchema, req.query),
          credentials,
          signal,
          userCredentials,
        ),
    ),
  );

  const router = Router();
  router.use('/form-options', forms);
  return router;
}
