import express from 'express';
import { ping } from '../db/client.ts';
import type { Deps } from './functions/types.ts';

/**
 * The one HTTP server every front door shares. Each front door adds its routes here:
 * the BILLmanager API (/billmgr), Slack (/slack/events), the sandbox (/).
 */
export function createApp(deps: Deps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    const ok = await ping(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  return app;
}
