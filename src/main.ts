import type { Server } from 'node:http';
import { openDb } from '../db/client.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { log, setLogLevel } from './log.ts';
import { ensureDigests } from './schedule/digest.ts';
import { scheduleJobHandlers, scheduleJobsWithoutSlack, scheduleSlackClient } from './schedule/handlers.ts';
import { createWorker } from './schedule/worker.ts';
import { noSlackJobHandlers } from './slack/jobs.ts';
import { createSlack } from './slack/slack-app.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  const handle = await openDb(
    config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
  );
  log.info('database ready', {
    engine: handle.engine,
    ...(handle.engine === 'pglite' ? { dataDir: config.DATA_DIR } : {}),
  });
  const deps = { db: handle.db, now: () => new Date(), settings: { lockMinutes: config.LOCK_MINUTES } };
  const app = createApp(deps, {
    api: {
      sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
      sessionMaxHours: config.SESSION_MAX_HOURS,
      maxBodyBytes: config.MAX_BODY_BYTES,
    },
    trustProxy: config.TRUST_PROXY,
  });
  const slack = config.slack ? createSlack(deps, config.slack, { expressApp: app }) : undefined;
  if (slack) {
    await slack.start();
    log.info('slack ready', { mode: slack.mode, ...(slack.mode === 'http' ? { url: '/slack/events' } : {}) });
  } else {
    log.info('slack not configured: starting without Slack (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)');
  }
  // One worker per process runs every job kind; without Slack its card jobs complete as no-ops.
  const scheduled = config.slack
    ? scheduleJobHandlers(scheduleSlackClient(config.slack.botToken, config.slack.apiUrl))
    : scheduleJobsWithoutSlack();
  const worker = createWorker(deps, {
    handlers: { ...(slack ? slack.jobHandlers : noSlackJobHandlers()), ...scheduled },
  });
  // Digests re-schedule themselves; this covers a fresh database and departments set up by SQL or seed.
  await ensureDigests(deps);
  worker.start();
  const server: Server = app.listen(config.PORT, config.HOST, () => {
    log.info('listening', { port: config.PORT, host: config.HOST });
  });
  const stop = async (signal: string) => {
    log.info('stopping', { signal });
    server.close();
    await worker.stop();
    await slack?.stop();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    log.error(error.message);
  } else {
    log.error('start-up failed', { error: error instanceof Error ? error.stack : String(error) });
  }
  process.exit(1);
});
