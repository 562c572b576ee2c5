import { timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { createApiMetrics } from './api/metrics.ts';
import type { Deps } from './functions/types.ts';
import { registerJobMetrics } from './jobs/metrics.ts';
import { log } from './log.ts';
import type { Status } from './status.ts';

/**
 * The Prometheus registry of one app (tests run several in a process): process defaults, the API's
 * series, scheduled work (src/jobs/metrics.ts), Slack Web API calls and incoming Slack requests, and gauges read at scrape time from the
 * same status /healthz reports (database, Slack connection, worker heartbeat, sessions).
 */
export function createMetrics(deps: Pick<Deps, 'db' | 'now'>, status: Status) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerJobMetrics(registry, deps);
  const registers = [registry];

  const slackCalls = new Counter({
    name: 'slack_api_calls_total',
    help: 'Slack Web API calls by method and outcome (ok, the Slack error code, rate_limited, http_<status>, network_error)',
    labelNames: ['method', 'outcome'] as const,
    registers,
  });
  const slackCallSeconds = new Histogram({
    name: 'slack_api_call_duration_seconds',
    help: 'Slack Web API call latency by method',
    labelNames: ['method'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const slackRequests = new Counter({
    name: 'slack_requests_total',
    help: 'Requests Slack sent to the bot (commands, actions, views, events) by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  new Gauge({
    name: 'slack_connected',
    help: '1 when the bot token is verified and Slack answers; 0 while connecting or retrying; absent without Slack',
    registers,
    collect() {
      this.reset();
      const slack = status.slack();
      if (slack.state !== 'not configured') this.set(slack.state === 'connected' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'worker_heartbeat_age_seconds',
    help: 'Seconds since the job worker last finished a round (it polls every second when idle)',
    registers,
    collect() {
      this.reset();
      const at = status.workerHeartbeat();
      if (at) this.set((Date.now() - at.getTime()) / 1000);
    },
  });
  new Gauge({
    name: 'db_up',
    help: '1 when the database answered `select 1` at this scrape',
    labelNames: ['engine'] as const,
    registers,
    async collect() {
      const db = await status.database();
      this.reset();
      this.set({ engine: db.engine }, db.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'db_ping_seconds',
    help: 'How long `select 1` took at this scrape (queueing behind other queries included)',
    registers,
    async collect() {
      this.set((await status.database()).seconds);
    },
  });
  new Gauge({
    name: 'db_connections',
    help: 'Postgres connections this process holds, by state (pool of at most 10; PGlite: one, not reported)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const [state, n] of Object.entries(await status.connections())) this.set({ state }, n);
    },
  });

  return {
    registry,
    api: createApiMetrics(registry, status),
    /** A `fetch` for Slack's WebClients that counts every call (retries included) by method and outcome. */
    slackFetch(inner: typeof fetch = globalThis.fetch): typeof fetch {
      return async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const method = slackMethod(url);
        const started = performance.now();
        let outcome = 'network_error';
        try {
          const response = await inner(input, init);
          outcome = await outcomeOf(response);
          return response;
        } finally {
          const seconds = (performance.now() - started) / 1000;
          slackCalls.inc({ method, outcome });
          slackCallSeconds.observe({ method }, seconds);
          log.debug('slack api call', { method, outcome, ms: Math.round(seconds * 1000) });
        }
      };
    },
    /** One request from Slack, as the request log records it. */
    slackRequest(kind: string, outcome: 'ok' | 'error') {
      slackRequests.inc({ kind, outcome });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** `…/api/chat.postMessage` → `chat.postMessage`; anything else Slack is posted to is a response_url. */
function slackMethod(url: string): string {
  const match = /\/api\/([A-Za-z]+(?:\.[A-Za-z]+)+)$/.exec(new URL(url).pathname);
  return match?.[1] ?? 'response_url';
}

/** Slack answers HTTP 200 with `ok: false` and an error code; the code is a bounded label, anything odd is `error`. */
async function outcomeOf(response: Response): Promise<string> {
  if (response.status === 429) return 'rate_limited';
  if (response.status !== 200) return `http_${response.status}`;
  if (!response.headers.get('content-type')?.includes('json')) return 'ok';
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { ok?: boolean; error?: unknown } | undefined;
  if (body?.ok !== false) return 'ok';
  return typeof body.error === 'string' && /^[a-z_]{1,50}$/.test(body.error) ? body.error : 'error';
}

/** GET /metrics; with a token, only for `Authorization: Bearer <token>` (compared in constant time). */
export function metricsHandler(metrics: Metrics, token?: string): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (req, res) => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('metrics need a token');
        return;
      }
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
