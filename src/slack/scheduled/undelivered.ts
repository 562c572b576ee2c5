import { z } from 'zod';
import type { Deps } from '../../functions/types.ts';
import { payloadOf } from '../../jobs/payload.ts';
import { enqueueOnce, type Job } from '../../jobs/queue.ts';
import { type JobHandler, NotYet } from '../../jobs/worker.ts';
import { log } from '../../log.ts';
import { departmentAbout, linkedRoots } from '../../slack-store/scheduled.ts';
import { type JobSlack, post, postIdentity } from '../job-client.ts';
import { undeliveredMessage } from '../views/alerts.ts';

export const UNDELIVERED = 'schedule.undelivered';
/** Failed attempts of a scheduled message after which people are told (it keeps being retried). */
export const ALERT_AFTER_ATTEMPTS = 3;
/** Errors that mean the channel itself is the problem: telling it would fail the same way. */
const CHANNEL_PROBLEM = /channel_not_found|not_in_channel|is_archived|channel_is_archived|no channel/;

/** What an undelivered alert carries: the failed job, what it was about, and why it failed. */
const undeliveredPayload = z.object({
  jobId: z.number().int(),
  kind: z.string(),
  ticketId: z.number().int().nullable(),
  departmentId: z.number().int().nullable(),
  attempts: z.number().int(),
  error: z.string(),
});
/** What any scheduled post is about, whatever else its payload holds. */
const about = z.object({ ticketId: z.number().int().optional(), departmentId: z.number().int().optional() });

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
        const p = about.safeParse(job.payload).data ?? {};
        const payload: z.input<typeof undeliveredPayload> = {
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
export function undeliveredHandler(slack: JobSlack): JobHandler {
  return async (job: Job, deps: Deps) => {
    const p = payloadOf(job, undeliveredPayload);
    const dep = await departmentAbout(deps.db, p);
    const text = undeliveredMessage(p, dep?.name ?? null).text;
    if (dep?.channel && !CHANNEL_PROBLEM.test(p.error)) {
      await post(slack, { channel: dep.channel, text }, postIdentity(job));
      return;
    }
    // Direct messages cannot be read back (that needs im:history), so a retry cannot look for them.
    const identity = { key: job.dedupeKey, retried: false };
    const roots = await linkedRoots(deps.db);
    if (roots.length === 0) log.error('undeliverable scheduled message; no root linked to Slack', p);
    for (const root of roots) await post(slack, { channel: root, text }, identity);
  };
}
