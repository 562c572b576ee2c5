import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.ts';
import type { Deps } from '../src/functions/types.ts';
import { createSlack } from '../src/slack/slack-app.ts';
import { spawnNode, stopChild } from './child.ts';
import { rssMb } from './memory.ts';

/** A server under measurement: its API and Slack endpoint, the process whose memory is its own. */
export interface BenchServer {
  base: string;
  slackEndpoint: string;
  pid: number;
  /** Spawn to /healthz 200 (the API answers) and to status `ok` (Slack connected, worker running), ms. */
  startup?: { answering: number; ready: number };
  stop(): Promise<void>;
}

/**
 * The sources through tsx, or with BENCH_BUILT=1 the build (`npm run build` first) as the Dockerfile
 * runs it: no loader compiling TypeScript at start-up and keeping its caches (about 60 MB RSS and 3 s
 * of start-up on the 2-core machine, 2026-11-30).
 */
const SERVER = process.env.BENCH_BUILT === '1' ? ['dist/src/main.js'] : ['--import', 'tsx', 'src/main.ts'];
/** How the server child runs, for the results. */
export const serverCommand = `node ${SERVER.join(' ')}`;

/**
 * The server as production runs it: `src/main.ts` in a process of its own (API, Slack on Bolt's
 * ExpressReceiver, job worker, retention), on the given database and Slack. Resolves once /healthz
 * reports `ok`: Slack connected (auth.test against the fake Slack) and the worker running. On port
 * `at`, or one free a moment before.
 */
export async function startServer(env: Record<string, string>, at?: number): Promise<BenchServer> {
  const port = at ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const start = performance.now();
  // DATABASE_URL empty: PGlite in DATA_DIR, unless env names a Postgres database.
  const { child, died } = spawnNode(SERVER, {
    DATABASE_URL: '',
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  let answering: number | undefined;
  const until = start + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw died();
    if (performance.now() > until) {
      await stopChild(child);
      throw new Error(`server not ready in 2 minutes: ${JSON.stringify(await health(base))}`);
    }
    const report = await health(base);
    if (report.code === 200) answering ??= performance.now() - start;
    if (report.status === 'ok' && answering !== undefined) {
      const ready = performance.now() - start;
      return {
        base,
        slackEndpoint: `${base}/slack/events`,
        pid: child.pid as number,
        startup: { answering, ready },
        stop: () => stopChild(child),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A port nothing listens on now: a fixed one could be another run's server on this shared machine,
 * whose /healthz would then answer for ours.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

/** RSS a second after start-up (the worker's and retention's timers running), before any request. */
export async function idleRssMb(server: BenchServer): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return rssMb(server.pid);
}

async function health(base: string): Promise<{ code?: number; status?: string }> {
  try {
    const res = await fetch(`${base}/healthz`);
    const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
    return { code: res.status, status: (body as { status?: string }).status };
  } catch {
    return {};
  }
}

/**
 * PGlite keeps the database in the process that opened it, so on PGlite the server shares the
 * benchmark's process: the API and the Slack door on one express app as main.ts mounts them, on the
 * real clock, without main.ts's worker (the bot's follow-up jobs wait in the table).
 */
export async function inProcessServer(deps: Deps, slackEnv: Record<string, string>): Promise<BenchServer> {
  const app = createApp(deps);
  const slack = createSlack(
    deps,
    {
      botToken: slackEnv.SLACK_BOT_TOKEN as string,
      signingSecret: slackEnv.SLACK_SIGNING_SECRET,
      apiUrl: slackEnv.SLACK_API_URL,
      rootUsers: [],
      departmentChannels: {},
    },
    { expressApp: app },
  );
  await slack.start();
  const server: HttpServer = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // fetch keeps connections alive; a server closing an idle one just as it is reused resets the request.
  server.keepAliveTimeout = 120_000;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    slackEndpoint: `${base}/slack/events`,
    pid: process.pid,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
