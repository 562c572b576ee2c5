import express from 'express';
import type { ApiOptions } from './api/options.ts';
import { apiRouter } from './api/router.ts';
import type { Deps } from './functions/types.ts';
import { createMetrics, type Metrics, metricsHandler } from './metrics.ts';
import { createStatus, healthReport, type Status } from './status.ts';

export interface AppOptions {
  /** Limits of the BILLmanager API (session idle time, body size); defaults otherwise. */
  api?: Partial<ApiOptions>;
  /** What /healthz reports; main.ts passes the live Slack connection and worker. Tests: the database only. */
  status?: Status;
  /** The app's metrics; a fresh registry otherwise. */
  metrics?: Metrics;
  /**
   * /metrics on this server: open (the default, for trying it out), behind a bearer token, or not at
   * all when a separate METRICS_PORT serves it.
   */
  metricsRoute?: { token?: string } | false;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-* headers to believe. */
  trustProxy?: boolean | number | string | string[];
}

/**
 * The one HTTP server every front door shares. Each front door adds its routes here:
 * the BILLmanager API (/billmgr), Slack (/slack/events), the sandbox (/).
 */
export function createApp(deps: Deps, options: AppOptions = {}): express.Express {
  const status =
    options.status ?? createStatus(deps, { sessionIdleMinutes: options.api?.sessionIdleMinutes });
  const metrics = options.metrics ?? createMetrics(deps, status);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.get('/healthz', async (_req, res) => {
    const { code, body } = await healthReport(status);
    res.status(code).set('Cache-Control', 'no-store').json(body);
  });
  if (options.metricsRoute !== false)
    app.get('/metrics', metricsHandler(metrics, options.metricsRoute?.token));
  app.use(apiRouter(deps, metrics.api, options.api));
  return app;
}

/** The server of METRICS_PORT: /metrics (with the token, if one is set) and nothing else. */
export function createMetricsApp(metrics: Metrics, token?: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics, token));
  return app;
}
