import { and, eq, isNotNull } from 'drizzle-orm';
import { departments, tickets, users } from '../../db/schema.ts';
import type { Deps } from '../functions/types.ts';
import { enqueueOnce, type Job } from '../jobs/queue.ts';
import { type JobHandler, NotYet } from '../jobs/worker.ts';
import { log } from '../log.ts';
import { escapeText } from '../slack/views/mrkdwn.ts';
import { post, postIdentity, type Slack } from './slack-out.ts';

export const UNDELIVERED = 'schedule.undelivered';
/** Failed attempts of a scheduled message after which people are told (it keeps being retried). */
export const ALERT_AFTER_ATTEMPTS = 3;
/** Errors that mean the channel itself is the problem: telling it would fail the same way. */
const CHANNEL_PROBLEM = /channel_not_found|not_in_channel|is_archived|channel_is_archived|no channel/;

const WHAT: Record<string, string> = {
  'sla.warning': 'SLA warning',
  'oncall.page': 'on-call page',
  'digest.post': 'daily digest',
};

/**
 * Wraps the handler of a scheduled message: when its attempt number `ALERT_AFTER_ATTEMPTS` fails,
 * a job is queued to tell people what could not be posted, so a broken channel or a missing on-call
 * target does not go unnoticed in a table row.
 */
export function alertWhenUndeliverable(handler: JobHandler): JobHandler {
  return async (job, deps) => {
    try {
      await handler(job, deps);
    } catch (error) {
      if (job.attempts === ALERT_AFTER_ATTEMPTS && !(error instanceof NotYet)) {
        const now = deps.now();
        const p = job.payload as { ticketId?: number; departmentId?: number };
        const payload = {
          jobId: job.id,
          kind: job.kind,
          ticketId: p.ticketId ?? null,
          departmentId: p.departmentId ?? null,
          attempts: job.attempts,
          error: error instanceof Error ? error.message : String(error),
        };
        await deps.db.transaction((tx) =>
          enqueueOnce(
            tx,
            { kind: UNDELIVERED, dedupeKey: `undelivered:${job.id}`, runAt: now, payload },
            now,
          ),
        );
      }
      throw error;
    }
  };
}

/**
 * Tells the department's channel what could not be posted; when the channel is what fails (or the
 * department has none), every root linked to Slack is told by direct message instead.
 */
export function undeliveredHandler(slack: Slack): JobHandler {
  return async (job: Job, deps: Deps) => {
    const p = job.payload as {
      kind: string;
      ticketId: number | null;
      departmentId: number | null;
      attempts: number;
      error: string;
    };
    const [dep] = p.ticketId
      ? await deps.db
          .select({ id: departments.id, name: departments.name, channel: departments.slackChannel })
          .from(tickets)
          .innerJoin(departments, eq(departments.id, tickets.departmentId))
          .where(eq(tickets.id, p.ticketId))
      : await deps.db
          .select({ id: departments.id, name: departments.name, channel: departments.slackChannel })
          .from(departments)
          .where(eq(departments.id, p.departmentId ?? 0));
    const about = p.ticketId ? ` for ticket #${p.ticketId}` : dep ? ` for ${escapeText(dep.name)}` : '';
    const text = `:warning: The ${WHAT[p.kind] ?? p.kind}${about} could not be posted after ${p.attempts} attempts: ${escapeText(p.error)}. It is still being retried; check the channel and the bot's access.`;
    if (dep?.channel && !CHANNEL_PROBLEM.test(p.error)) {
      await post(slack, { channel: dep.channel, text }, postIdentity(job));
      return;
    }
    // Direct messages cannot be read back (that needs im:history), so a retry cannot look for them.
    const identity = { key: job.dedupeKey, retried: false };
    const roots = await deps.db
      .select({ slack: users.slackUserId })
      .from(users)
      .where(and(eq(users.level, 'root'), eq(users.disabled, false), isNotNull(users.slackUserId)));
    if (roots.length === 0) log.error('undeliverable scheduled message; no root linked to Slack', p);
    for (const r of roots) await post(slack, { channel: String(r.slack), text }, identity);
  };
}
