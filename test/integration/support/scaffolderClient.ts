/**
 * A small client for the real backend's REST APIs, as the frontend uses them:
 * a guest sign-in token, scaffolder tasks (create, poll, events), dry runs and
 * catalog reads.
 */

export interface TaskEvent {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: any;
    error?: { name: string; message: string };
  };
  createdAt: string;
}

export interface TaskResult {
  id: string;
  status: string;
  /** The template's output (links, text) from the completion event. */
  output: any;
  events: TaskEvent[];
  /** Every log message, in order. */
  log: string[];
  durationMs: number;
}

export interface DryRunResult {
  status: number;
  body: any;
}

export class PortalClient {
  static async signInAsGuest(baseUrl: string): Promise<PortalClient> {
    const res = await fetch(
      `${baseUrl}/api/auth/guest/refresh?env=development`,
      {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
    if (!res.ok)
      throw new Error(
        `guest sign-in failed: HTTP ${res.status} ${await res.text()}`,
      );
    const body = (await res.json()) as {
      backstageIdentity?: { token?: string };
    };
    const token = body.backstageIdentity?.token;
    if (!token)
      throw new Error('guest sign-in returned no backstageIdentity.token');
    return new PortalClient(baseUrl, token);
  }

  constructor(readonly baseUrl: string, private readonly token: string) {}

  /** The Authorization header of this user's requests (e.g. for the signals WebSocket). */
  authorization(): string {
    return `Bearer ${this.token}`;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: this.authorization(),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  async getEntity(kind: string, namespace: string, name: string): Promise<any> {
    const { status, body } = await this.request(
      'GET',
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );
    if (status !== 200)
      throw new Error(
        `catalog ${kind}:${namespace}/${name}: HTTP ${status} ${JSON.stringify(
          body,
        )}`,
      );
    return body;
  }

  /** Waits until the catalog has processed an entity (file locations are read at startup). */
  async waitForEntity(
    kind: string,
    namespace: string,
    name: string,
    timeoutMs = 60_000,
  ): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.request(
        'GET',
        `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      );
      if (status === 200) return body;
      if (Date.now() > deadline)
        throw new Error(
          `${kind}:${namespace}/${name} not in the catalog after ${timeoutMs} ms`,
        );
      await new Promise(r => setTimeout(r, 500));
    }
  }

  /** POST /api/scaffolder/v2/tasks: 201 with the task id, or 400 when the values break the template's parameter schema. */
  createTask(
    templateRef: string,
    values: Record<string, unknown>,
  ): Promise<{ status: number; body: any }> {
    return this.request('POST', '/api/scaffolder/v2/tasks', {
      templateRef,
      values,
      secrets: {},
    });
  }

  /** POST /api/scaffolder/v2/tasks, then polls the task until it ends and reads its events. */
  async runTask(
    templateRef: string,
    values: Record<string, unknown>,
    timeoutMs = 180_000,
  ): Promise<TaskResult> {
    const started = Date.now();
    const created = await this.createTask(templateRef, values);
    if (created.status !== 201 && created.status !== 200) {
      throw new Error(
        `creating a ${templateRef} task failed: HTTP ${
          created.status
        } ${JSON.stringify(created.body)}`,
      );
    }
    const id: string = created.body.id;
    const deadline = started + timeoutMs;
    let status = 'open';
    while (!['completed', 'failed', 'cancelled'].includes(status)) {
      if (Date.now() > deadline)
        throw new Error(
          `task ${id} (${templateRef}) still ${status} after ${timeoutMs} ms`,
        );
      await new Promise(r => setTimeout(r, 250));
      const task = await this.request('GET', `/api/scaffolder/v2/tasks/${id}`);
      if (task.status !== 200)
        throw new Error(`reading task ${id}: HTTP ${task.status}`);
      status = task.body.status;
    }
    const durationMs = Date.now() - started;
    const eventsRes = await this.request(
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
    const events: TaskEvent[] = Array.isArray(eventsRes.body)
      ? eventsRes.body
      : [];
    const completion = events.find(e => e.type === 'completion');
    return {
      id,
      status,
      output: completion?.body.output,
      events,
      log: events.filter(e => e.type === 'log').map(e => e.body.message ?? ''),
      durationMs,
    };
  }

  /** POST /api/scaffolder/v2/dry-run with the template entity as the catalog serves it. */
  async dryRun(
    template: unknown,
    values: Record<string, unknown>,
  ): Promise<DryRunResult> {
    return this.request('POST', '/api/scaffolder/v2/dry-run', {
      template,
      values,
      secrets: {},
      directoryContents: [],
    });
  }
}
