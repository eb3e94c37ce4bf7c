import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { UserKubernetesCredentials } from '@gateway-portal/plugin-aws-gateway-node';
import { z } from 'zod';
import { GatewayStatusService } from './service/GatewayStatusService';

export interface RouterOptions {
  service: GatewayStatusService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}

// Catalog entity kind, namespace and name rules.
const ENTITY_PART = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

const paramsSchema = z.object({
  kind: z.string().regex(ENTITY_PART, 'invalid entity kind'),
  namespace: z.string().regex(ENTITY_PART, 'invalid entity namespace'),
  name: z.string().regex(ENTITY_PART, 'invalid entity name'),
});

const querySchema = z.object({
  refresh: z.enum(['true', 'false']).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || what} ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** HTTP API of the gateway status backend; all logic lives in the service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, httpAuth, auditor } = options;
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/entities/:kind/:namespace/:name/gateways', async (req, res) => {
    const entity = parse(paramsSchema, req.params, 'path parameters');
    const { refresh } = parse(querySchema, req.query, 'query');
    const credentials = await httpAuth.credentials(req);
    const kubernetesCredentials = UserKubernetesCredentials.fromHeaders(
      req.headers,
    );
    const entityRef =
      `${entity.kind}:${entity.namespace}/${entity.name}`.toLocaleLowerCase(
        'en-US',
      );
    const auditorEvent = await auditor.createEvent({
      eventId: 'gateway-status-read',
      request: req,
      meta: { entityRef, refresh: refresh === 'true' },
    });
    try {
      const response = await service.getEntityGateways(
        { entityRef: entity, refresh: refresh === 'true' },
        { credentials, kubernetesCredentials },
      );
      await auditorEvent.success({
        meta: {
          gateways: response.gateways.length,
          errors: response.errors.length,
        },
      });
      res.json(response);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
}
