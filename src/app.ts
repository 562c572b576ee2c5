import express from 'express';
import { ping } from '../db/client.ts';
import type { ApiOptions } from './api/options.ts';
import { apiRouter } from './api/router.ts';
import type { Deps } from './functions/types.ts';

export interface AppOptions {
  /** Limits of the BILLmanager API (session idle time, body size); defaults otherwise. */
  api?: Partial<ApiOptions>;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-* headers to believe. */
  trustProxy?: boolean | number | string | string[];
}

/**
 * The one HTTP server every front door shares. Each front door adds its routes here:
 * the BILLmanager API (/billmgr), Slack (/slack/events), the sandbox (/).
 */
export function createApp(deps: Deps, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.get('/healthz', async (_req, res) => {
    const ok = await ping(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  app.use(apiRouter(deps, options.api));
  return app;
}
