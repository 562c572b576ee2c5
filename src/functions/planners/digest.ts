import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import { type Department, departments, jobs } from '../../../db/schema.ts';
import { localDay, nextDigestAt } from '../../domain/digest.ts';
import { cancel, enqueue, enqueueOnce } from '../../jobs/queue.ts';
import type { Deps } from '../types.ts';

export const DIGEST_POST = 'digest.post';
export const DIGEST_REFRESH = 'digest.refresh';
/** What the digest jobs carry; parsed when the job is claimed. */
export const digestPostPayload = z.object({
  departmentId: z.number().int(),
  localDate: z.string().regex(/^\d{4}-\d\d-\d\d$/),
  time: z.string().optional(),
});
export const digestRefreshPayload = z.object({ departmentId: z.number().int() });
/** How long ticket changes gather before the day's digest is refreshed in place. */
const REFRESH_DELAY_MS = 60_000;

export const wantsDigest = (
  dep: Department,
): dep is Department & { digestTime: string; slackChannel: string } =>
  dep.digestTime !== null && dep.slackChannel !== null;

/**
 * Schedules the department's next digest. The local date is in the dedupe key, so however many
 * replicas schedule it, one job per department and day is pending.
 */
export async function scheduleDigest(tx: Tx, dep: Department, now: Date, replace = false): Promise<void> {
  if (replace) await cancel(tx, `digest:${dep.id}:`, now);
  if (!wantsDigest(dep)) return;
  const tz = dep.calendar.timezone;
  const at = nextDigestAt(dep.digestTime, tz, now);
  const localDate = localDay(at, tz);
  const payload: z.input<typeof digestPostPayload> = {
    departmentId: dep.id,
    localDate,
    time: dep.digestTime,
  };
  await enqueue(
    tx,
    { kind: DIGEST_POST, dedupeKey: `digest:${dep.id}:${localDate}:${dep.digestTime}`, runAt: at, payload },
    now,
  );
}

/** At start-up: every department with a digest time gets its next digest scheduled if none is pending. */
export async function ensureDigests(deps: Deps): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const wanting = await tx.select().from(departments).where(isNotNull(departments.digestTime));
    const pending = await tx
      .select({ key: jobs.dedupeKey })
      .from(jobs)
      .where(and(eq(jobs.kind, DIGEST_POST), inArray(jobs.state, ['pending', 'running'])));
    for (const dep of wanting) {
      if (!pending.some((p) => p.key.startsWith(`digest:${dep.id}:`)))
        await scheduleDigest(tx, dep, deps.now());
    }
  });
}

/** A ticket of the department changed: refresh today's digest in place a minute later. */
export async function digestTouched(tx: Tx, dep: Department, now: Date): Promise<void> {
  await refreshDigestAt(tx, dep, new Date(now.getTime() + REFRESH_DELAY_MS), now);
}

/** One pending refresh per department, at the earliest time anything asked for. */
export async function refreshDigestAt(tx: Tx, dep: Department, at: Date, now: Date): Promise<void> {
  if (!wantsDigest(dep)) return;
  const payload: z.input<typeof digestRefreshPayload> = { departmentId: dep.id };
  await enqueueOnce(
    tx,
    { kind: DIGEST_REFRESH, dedupeKey: `digest-refresh:${dep.id}`, runAt: at, payload },
    now,
  );
}
