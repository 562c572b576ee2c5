import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createMetricsApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ensureDigests } from './functions/planners/digest.ts';
import { createWorker } from './jobs/worker.ts';
import { log, setLogLevel } from './log.ts';
import { createMetrics } from './metrics.ts';
import { createRetention } from './retention.ts';
import { sandboxClock } from './sandbox/clock.ts';
import { startSandbox } from './sandbox/sandbox.ts';
import { connectSlack } from './slack/connection.ts';
import { noSlackJobHandlers } from './slack/jobs.ts';
import { scheduledJobsWithoutSlack } from './slack/scheduled/handlers.ts';
import { createSlack } from './slack/slack-app.ts';
import { describeFailure, listen, openDatabase } from './startup.ts';
import { createStatus, type SlackStatus } from './status.ts';

type Closer = () => Promise<unknown> | undefined;
/**
 * On the way out the servers stop accepting first; then the rest is undone newest first (Slack,
 * retention, worker), each given a second at most; the database (and its lock) is closed last, always.
 */
const servers: Closer[] = [];
const closers: Closer[] = [];
let closeDatabase: Closer = async () => {};
let stopping: Promise<void> | undefined;

/** tsx watch kills a process that takes longer than 5 s; the database must be closed before that. */
const STEP_BUDGET_MS = 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  // The ports first: a busy port or a bad HOST fails in a second, before the database is touched.
  // Until the app is attached below, requests are answered 503 (a health check then retries).
  const server = createServer(starting);
  const port = await serve(server, config.PORT, config.HOST);
  const metricsServer = config.METRICS_PORT === undefined ? undefined : createServer(starting);
  const metricsPort = metricsServer
    ? await serve(metricsServer, config.METRICS_PORT as number, config.HOST, {
        port: 'METRICS_PORT',
        host: 'HOST',
      })
    : undefined;

  const handle = await openDatabase(config);
  closeDatabase = () => handle.close();
  log.info('database ready', {
    engine: handle.engine,
    ...(handle.engine === 'pglite' ? { dataDir: config.DATA_DIR } : {}),
  });
  // Without Slack credentials the local sandbox plays Slack, on a clock the visitor can move forward.
  const clock = config.slack ? undefined : sandboxClock();
  const deps = {
    db: handle.db,
    now: clock?.now ?? (() => new Date()),
    settings: { lockMinutes: config.LOCK_MINUTES },
  };

  // Both are made after the status that reports them.
  let slackStatus: () => SlackStatus = () => ({ state: 'not configured' });
  let heartbeat: () => Date | undefined = () => undefined;
  const status = createStatus(deps, {
    engine: handle.engine,
    slack: () => slackStatus(),
    workerHeartbeat: () => heartbeat(),
    sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
  });
  const metrics = createMetrics(deps, status);
  const app = createApp(deps, {
    api: {
      sessionIdleMinutes: config.SESSION_IDLE_MINUTES,
      sessionMaxHours: config.SESSION_MAX_HOURS,
      maxBodyBytes: config.MAX_BODY_BYTES,
    },
    trustProxy: config.TRUST_PROXY,
    status,
    metrics,
    metricsRoute: metricsServer ? false : { token: config.METRICS_TOKEN },
  });
  const sandbox = clock ? await startSandbox(deps, clock, app) : undefined;
  if (sandbox) closers.push(() => sandbox.close());
  const slackConfig = config.slack ?? sandbox?.slack;
  const slackFetch = metrics.slackFetch();
  const slack = slackConfig
    ? createSlack(deps, slackConfig, {
        expressApp: app,
        fetch: slackFetch,
        countRequest: metrics.slackRequest,
      })
    : undefined;
  const connection =
    slack && slackConfig
      ? connectSlack(slackConfig, {
          start: () => slack.start(),
          fetch: slackFetch,
          onTokenRefused: (error) => void exit(1, describeFailure(error)),
        })
      : undefined;
  if (connection) slackStatus = connection.status;

  server.off('request', starting).on('request', app);
  const sandboxUrl = sandbox?.listening(server.address() as AddressInfo, config.HOST);
  if (metricsServer) {
    metricsServer.off('request', starting).on('request', createMetricsApp(metrics, config.METRICS_TOKEN));
    log.info('metrics listening', {
      port: metricsPort,
      host: config.HOST,
      token: Boolean(config.METRICS_TOKEN),
    });
  } else if (!config.METRICS_TOKEN) {
    log.warn('/metrics is open on PORT: set METRICS_PORT or METRICS_TOKEN before exposing the server');
  }

  // One worker per process runs every job kind; without Slack its jobs complete as no-ops.
  const worker = createWorker(deps, {
    handlers: slack
      ? { ...slack.jobHandlers, ...slack.scheduledJobHandlers }
      : { ...noSlackJobHandlers(), ...scheduledJobsWithoutSlack() },
    concurrency: config.JOB_CONCURRENCY,
  });
  heartbeat = worker.lastRoundAt;
  await sandbox?.loadDemo();
  // Digests re-schedule themselves; this covers a fresh database and departments set up by SQL or seed.
  await ensureDigests(deps);
  worker.start();
  closers.push(() => worker.stop());
  const retention = createRetention(deps, {
    jobsDays: config.JOBS_RETENTION_DAYS,
    claimsDays: config.CLAIMS_RETENTION_DAYS,
  });
  retention.start();
  closers.push(() => retention.stop());

  if (slack && connection) {
    closers.push(() => slack.stop());
    closers.push(async () => connection.stop());
    // The first attempt only (10 s at most): an unreachable Slack is retried in the background.
    await connection.begin();
    if (stopping) return; // the token was refused
  } else {
    log.info('slack not configured: starting without Slack (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)');
  }
  log.info('listening', { port, host: config.HOST });
  if (sandboxUrl) {
    log.info(`sandbox: no Slack configured, try the bot in a local Slack at ${sandboxUrl}`, {
      url: sandboxUrl,
    });
  }
}

/** The answer while the database opens and migrations run. */
function starting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'text/plain' }).end('starting\n');
}

/** Listens, and on the way out stops accepting and drops idle keep-alive connections. */
async function serve(server: Server, port: number, host: string, variables?: { port: string; host: string }) {
  const bound = await listen(server, port, host, variables);
  servers.push(
    () =>
      new Promise((done) => {
        server.close(done);
        server.closeIdleConnections();
      }),
  );
  return bound;
}

/**
 * The one way out, for signals, refused tokens and failed start-ups alike: undo what was set up,
 * then exit. A second signal while stopping changes nothing (tsx watch and a
 * terminal's Ctrl-C both send one).
 */
function exit(code: number, failure?: { msg: string; fields: Record<string, unknown> }): Promise<void> {
  if (failure) log.error(failure.msg, failure.fields);
  stopping ??= (async () => {
    for (const close of [...servers, ...closers.reverse()]) {
      const budget = new Promise((done) => setTimeout(done, STEP_BUDGET_MS));
      await Promise.race([Promise.resolve(close()).catch(() => {}), budget]);
    }
    await Promise.resolve(closeDatabase()).catch(() => {});
    process.exit(code);
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stopping) log.info('stopping', { signal });
    void exit(0);
  });
}
// Slack's libraries and timers run outside any request: a stray rejection is logged, never fatal.
process.on('unhandledRejection', (reason) => {
  log.error('unhandled rejection', { error: reason instanceof Error ? reason.stack : String(reason) });
});
process.on('uncaughtException', (error) => void exit(1, describeFailure(error)));

main().catch((error: unknown) => exit(1, describeFailure(error)));
