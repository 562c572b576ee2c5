import type { Department } from '../../../db/schema.ts';
import { buildDigest, type DigestTicket, localDay, nextCountChange } from '../../domain/digest.ts';
import {
  digestPostPayload,
  digestRefreshPayload,
  refreshDigestAt,
  scheduleDigest,
  wantsDigest,
} from '../../functions/planners/digest.ts';
import type { Deps } from '../../functions/types.ts';
import { payloadOf } from '../../jobs/payload.ts';
import type { Job } from '../../jobs/queue.ts';
import { isHeld } from '../../slack-store/channel-holds.ts';
import {
  claimDigestDay,
  department,
  openTickets,
  postedDigest,
  saveDigestPost,
} from '../../slack-store/scheduled.ts';
import { type JobSlack, post, postIdentity, update } from '../job-client.ts';
import { digestMessage } from '../views/digest.ts';

/** The digest of a department as it stands now: for the daily post and for `/ticket digest`. */
export async function digestFor(deps: Deps, departmentId: number) {
  const dep = await department(deps.db, departmentId);
  const now = deps.now();
  const open = await openTickets(deps.db, dep.id);
  const tz = dep.calendar.timezone;
  return { dep, open, now, message: digestMessage(dep.name, buildDigest(open, now, tz), tz, now) };
}

/**
 * The daily post. The digests row, claimed before posting, makes it one per department, local day and
 * digest time: a retried job refreshes the message it posted, while a job for a later time of the
 * same day (the time was moved) posts the new digest. The post carries the job's key, so a worker
 * dying between the post and saving its ts does not post it twice.
 */
export function digestPostHandler(slack: JobSlack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { departmentId, localDate, time } = payloadOf(job, digestPostPayload);
    const { dep, open, now, message } = await digestFor(deps, departmentId);
    // A held channel (a non-staff member reads it) gets no digest: it lists client tickets.
    if (!wantsDigest(dep) || (dep.slackChannel && (await isHeld(deps.db, dep.slackChannel)))) return;
    const day = { departmentId, localDate };
    const row = await claimDigestDay(deps.db, {
      ...day,
      digestTime: time,
      channel: dep.slackChannel,
      postedAt: now,
    });
    if (row.ts && row.digestTime === (time ?? null)) {
      await update(slack, { channel: row.channel, ts: row.ts, ...message });
    } else {
      const posted = await post(slack, { channel: dep.slackChannel, ...message }, postIdentity(job));
      await saveDigestPost(deps.db, day, { ...posted, digestTime: time, postedAt: now });
    }
    await refreshWhenCountsChange(deps, dep, open, now);
    await deps.db.transaction((tx) => scheduleDigest(tx, dep, deps.now()));
  };
}

/** Brings today's posted digest up to date, if there is one. */
export function digestRefreshHandler(slack: JobSlack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { departmentId } = payloadOf(job, digestRefreshPayload);
    const { dep, open, now, message } = await digestFor(deps, departmentId);
    const posted = await postedDigest(deps.db, departmentId, localDay(now, dep.calendar.timezone));
    if (!posted || (await isHeld(deps.db, posted.channel))) return;
    await update(slack, { ...posted, ...message });
    await refreshWhenCountsChange(deps, dep, open, now);
  };
}

/**
 * Counts change with time alone: a deadline passing moves a ticket from "due today" to "overdue".
 * The digest just shown is refreshed at the next such moment of its day.
 */
async function refreshWhenCountsChange(deps: Deps, dep: Department, open: DigestTicket[], now: Date) {
  const next = nextCountChange(open, now, dep.calendar.timezone);
  if (next) await deps.db.transaction((tx) => refreshDigestAt(tx, dep, next, now));
}
