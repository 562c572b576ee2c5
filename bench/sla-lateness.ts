import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { jobs, tickets } from '../db/schema.ts';
import { loadConfig } from '../src/config.ts';
import { SLA_WARNING } from '../src/functions/planners/sla.ts';
import type { Deps } from '../src/functions/types.ts';
import { createWorker } from '../src/jobs/worker.ts';
import { jobClient } from '../src/slack/job-client.ts';
import { scheduledJobHandlers } from '../src/slack/scheduled/handlers.ts';
import { ms, quantile } from './stats.ts';

const MINUTE = 60_000;
const WARNINGS = 10_000;
/** The warning stage planted: an hour before each deadline. */
const STAGE = 60;

interface Accepted {
  key: string;
  at: number;
}

const bodyOf = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  const form = new URLSearchParams(text);
  const field = (name: string) => {
    const v = form.get(name);
    if (v === null) return undefined;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  return { field, channel: form.get('channel') ?? '' };
};

/**
 * A Slack Web API that keeps Slack's posting limit: one chat.postMessage per second per channel,
 * answered beyond that with 429 and Retry-After: 1. It remembers each post (with its metadata) so
 * a retried job reading the channel back finds its own earlier post, as on Slack.
 */
async function rateLimitedSlack() {
  const lastPost = new Map<string, number>();
  const posts = new Map<string, { ts: string; metadata: unknown }[]>();
  const accepted: Accepted[] = [];
  let refused = 0;
  let seq = 0;
  const server = createServer(async (req, res) => {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    const { field, channel } = await bodyOf(req);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (method === 'chat.postMessage') {
      const now = Date.now();
      if (now - (lastPost.get(channel) ?? 0) < 1000) {
        refused++;
        return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      }
      lastPost.set(channel, now);
      const ts = `${Math.floor(now / 1000)}.${String(++seq).padStart(6, '0')}`;
      const metadata = field('metadata');
      posts.set(channel, [{ ts, metadata }, ...(posts.get(channel) ?? [])]);
      accepted.push({
        key: String((metadata as { event_payload?: { key?: string } })?.event_payload?.key),
        at: now,
      });
      return answer(200, { ok: true, channel, ts });
    }
    if (method === 'conversations.history' || method === 'conversations.replies')
      return answer(200, { ok: true, messages: (posts.get(channel) ?? []).slice(0, 200), has_more: false });
    return answer(200, { ok: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return {
    url,
    accepted,
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * 10,000 SLA warnings falling due within one minute, spread over the departments' channels, sent by
 * one worker (as main.ts runs it) through the real SLA job handler to a Slack that allows one post
 * per second per channel. Lateness: when Slack accepted each warning minus when it fell due. The
 * planted tickets (new ids, clients 2–101 and their users, ids staff + client as generate.ts makes them)
 * are deleted afterwards.
 */
export async function benchLateness(deps: Deps, departments: number, staff: number, limitMinutes = 15) {
  const slack = await rateLimitedSlack();
  const clock: Deps = { ...deps, now: () => new Date() };
  const t0 = Date.now() + 5000;
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const [found] = await deps.db.select({ last: sql`max(${tickets.id})`.mapWith(Number) }).from(tickets);
  const first = (found?.last ?? 0) + 1;
  await deps.db.execute(sql`update departments set slack_channel = 'CDEP' || id`);
  // Warning i falls due at t0 + i·6 ms: ten thousand within the minute.
  await deps.db.execute(sql`insert into tickets (id, client_id, created_by, department_id, name, status, priority,
      client_priority, waiting_since, deadline, created_at, updated_at)
    select ${first} + i, 2 + i % 100, ${staff} + 2 + i % 100, 1 + i % ${departments}, 'SLA bench ' || i, 1, 1, 1,
      ${at(t0 - 60 * MINUTE)}, ${at(t0 + STAGE * MINUTE)} + i * interval '6 milliseconds', ${at(t0 - 60 * MINUTE)}, ${at(t0)}
    from generate_series(0, ${WARNINGS - 1}) i`);
  await deps.db.execute(sql`insert into jobs (kind, dedupe_key, payload, run_at, updated_at)
    select 'sla.warning', 'sla:' || id || ':${sql.raw(String(STAGE))}:' || (extract(epoch from deadline) * 1000)::bigint,
      jsonb_build_object('ticketId', id, 'stage', ${STAGE}::int, 'deadline', to_char(deadline at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      deadline - interval '${sql.raw(String(STAGE))} minutes', now()
    from tickets where id >= ${first}`);
  const worker = createWorker(clock, {
    handlers: scheduledJobHandlers(jobClient('xoxb-bench', slack.url)),
    concurrency: loadConfig().JOB_CONCURRENCY,
  });
  worker.start();
  const stateCount = () =>
    deps.db
      .select({ state: jobs.state, n: sql`count(*)`.mapWith(Number) })
      .from(jobs)
      .where(and(eq(jobs.kind, SLA_WARNING), sql`(${jobs.payload}->>'ticketId')::int >= ${first}`))
      .groupBy(jobs.state);
  const deadline = Date.now() + limitMinutes * MINUTE;
  let states = await stateCount();
  while (Date.now() < deadline && states.some((s) => s.state === 'pending' || s.state === 'running')) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    states = await stateCount();
  }
  await worker.stop();
  await slack.close();
  const warnings = slack.accepted.filter((a) => a.key.startsWith('sla:'));
  // The key ends with the deadline in ms: the warning fell due an hour before it.
  const late = warnings
    .map((a) => a.at - (Number(a.key.split(':').at(-1)) - STAGE * MINUTE))
    .sort((a, b) => a - b);
  const alerts = slack.accepted.length - warnings.length;
  await deps.db.execute(sql`delete from jobs where (payload->>'ticketId')::int >= ${first}`);
  await deps.db.execute(sql`delete from sla_warnings where ticket_id >= ${first}`);
  await deps.db.execute(sql`delete from tickets where id >= ${first}`);
  const s = (q: number) => `${ms(quantile(late, q) / 1000)} s`;
  return [
    `${WARNINGS} SLA warnings due within one minute over ${departments} channels, Slack allowing 1 post/s/channel:`,
    `${warnings.length} delivered, lateness p50 ${s(0.5)}, p99 ${s(0.99)}, max ${s(1)};`,
    `${slack.refused()} posts refused with 429, ${alerts} other posts (undelivered alerts);`,
    `jobs by state at the end: ${states.map((x) => `${x.state} ${x.n}`).join(', ')}` +
      ` (waited at most ${limitMinutes} min; the floor is ${Math.ceil(WARNINGS / departments)} s per channel)`,
  ].join(' ');
}
