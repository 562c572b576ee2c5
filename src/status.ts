import { performance } from 'node:perf_hooks';
import { gte, sql } from 'drizzle-orm';
import { ping } from '../db/client.ts';
import { one } from '../db/rows.ts';
import { sessions } from '../db/schema.ts';
import type { Deps } from './functions/types.ts';

/** Where Slack stands; `connecting` until the bot token is verified, `retrying` after a failure. */
export type SlackStatus =
  | { state: 'not configured' }
  | { state: 'connecting' | 'connected'; since: Date }
  | { state: 'retrying'; since: Date; error: string; nextAttemptAt: Date };

/**
 * What /healthz and the /metrics gauges report, read when asked: the database, Postgres connections,
 * live API sessions, the Slack connection and the job worker's heartbeat.
 */
export interface Status {
  database(): Promise<{ engine: 'pglite' | 'postgres'; ok: boolean; seconds: number }>;
  connections(): Promise<Record<string, number>>;
  /** API sessions used within the idle limit (all replicas: they share the table). */
  sessions(): Promise<number>;
  slack(): SlackStatus;
  workerHeartbeat(): Date | undefined;
}

export interface StatusSources {
  engine?: 'pglite' | 'postgres';
  slack?: () => SlackStatus;
  workerHeartbeat?: () => Date | undefined;
  sessionIdleMinutes?: number;
}

/** A worker that has not finished a round for this long is reported as stalled. */
const STALLED_MS = 5 * 60_000;

export function createStatus(deps: Deps, sources: StatusSources = {}): Status {
  const engine = sources.engine ?? 'pglite';
  return {
    async database() {
      const started = performance.now();
      const ok = await ping(deps.db);
      return { engine, ok, seconds: (performance.now() - started) / 1000 };
    },
    async connections() {
      if (engine !== 'postgres') return {};
      // Each process names its connections (db/client.ts), so this counts this replica's pool only.
      const rows = (await deps.db
        .execute(
          sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
              where application_name = current_setting('application_name') group by 1`,
        )
        .catch(() => [])) as unknown as { state: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
    async sessions() {
      const since = new Date(deps.now().getTime() - (sources.sessionIdleMinutes ?? 60) * 60_000);
      const rows = await deps.db
        .select({ n: sql<number>`count(*)::int` })
        .from(sessions)
        .where(gte(sessions.lastUsed, since));
      return Number(one(rows, 'count').n);
    },
    slack: sources.slack ?? (() => ({ state: 'not configured' })),
    workerHeartbeat: sources.workerHeartbeat ?? (() => undefined),
  };
}

/**
 * GET /healthz: 200 while the database answers, whatever Slack does (a Slack outage must not get
 * replicas restarted); 503 when the database does not. Slack and the worker are reported for people
 * and monitors to read.
 */
export async function healthReport(status: Status): Promise<{ code: number; body: Record<string, unknown> }> {
  const db = await status.database();
  const slack = status.slack();
  const beat = status.workerHeartbeat();
  const worker = beat
    ? {
        state: Date.now() - beat.getTime() > STALLED_MS ? 'stalled' : 'running',
        lastRoundAt: beat.toISOString(),
      }
    : { state: 'not started' };
  const degraded = slack.state === 'retrying' || slack.state === 'connecting' || worker.state === 'stalled';
  return {
    code: db.ok ? 200 : 503,
    body: {
      status: !db.ok ? 'database unavailable' : degraded ? 'degraded' : 'ok',
      database: db.ok ? 'ok' : 'unavailable',
      slack,
      worker,
    },
  };
}
