import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { one } from '../../db/rows.ts';
import { clients, type Department, departments, digests, jobs, tickets, users } from '../../db/schema.ts';
import { buildDigest, type DigestTicket, localDay, nextCountChange, nextDigestAt } from '../domain/digest.ts';
import { OPEN_STATUSES } from '../domain/tickets.ts';
import { missed } from '../functions/errors.ts';
import type { Deps } from '../functions/types.ts';
import { cancel, enqueue, enqueueOnce, type Job } from '../jobs/queue.ts';
import { post, postIdentity, type Slack, update } from './slack-out.ts';
import { digestMessage } from './views/digest.ts';

export const DIGEST_POST = 'digest.post';
export const DIGEST_REFRESH = 'digest.refresh';
/** How long ticket changes gather before the day's digest is refreshed in place. */
const REFRESH_DELAY_MS = 60_000;

const wantsDigest = (dep: Department): dep is Department & { digestTime: string; slackChannel: string } =>
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
  await enqueue(
    tx,
    {
      kind: DIGEST_POST,
      dedupeKey: `digest:${dep.id}:${localDate}:${dep.digestTime}`,
      runAt: at,
      payload: { departmentId: dep.id, localDate, time: dep.digestTime },
    },
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
  await refreshAt(tx, dep, new Date(now.getTime() + REFRESH_DELAY_MS), now);
}

/** One pending refresh per department, at the earliest time anything asked for. */
async function refreshAt(tx: Tx, dep: Department, at: Date, now: Date): Promise<void> {
  if (!wantsDigest(dep)) return;
  await enqueueOnce(
    tx,
    {
      kind: DIGEST_REFRESH,
      dedupeKey: `digest-refresh:${dep.id}`,
      runAt: at,
      payload: { departmentId: dep.id },
    },
    now,
  );
}

/**
 * Counts change with time alone: a deadline passing moves a ticket from "due today" to "overdue".
 * The digest just shown is refreshed at the next such moment of its day.
 */
async function refreshWhenCountsChange(db: Db, dep: Department, open: DigestTicket[], now: Date) {
  const next = nextCountChange(open, now, dep.calendar.timezone);
  if (next) await db.transaction((tx) => refreshAt(tx, dep, next, now));
}

/** The digest of a department as it stands now: for the daily post and for `/ticket digest`. */
export async function digestFor(deps: Deps, departmentId: number) {
  const [dep] = await deps.db.select().from(departments).where(eq(departments.id, departmentId));
  if (!dep) throw missed('department', `Department ${departmentId} does not exist`, String(departmentId));
  const now = deps.now();
  const open = await openTickets(deps.db, dep.id);
  return {
    dep,
    open,
    now,
    message: digestMessage(
      dep.name,
      buildDigest(open, now, dep.calendar.timezone),
      dep.calendar.timezone,
      now,
    ),
  };
}

/**
 * The daily post. The digests row, claimed before posting, makes it one per department, local day and
 * digest time: a retried job refreshes the message it posted, while a job for a later time of the
 * same day (the time was moved) posts the new digest. The post carries the job's key, so a worker
 * dying between the post and saving its ts does not post it twice.
 */
export function digestPostHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { departmentId, localDate, time } = job.payload as {
      departmentId: number;
      localDate: string;
      time?: string;
    };
    const { dep, open, now, message } = await digestFor(deps, departmentId);
    if (!wantsDigest(dep)) return;
    const day = and(eq(digests.departmentId, departmentId), eq(digests.localDate, localDate));
    await deps.db
      .insert(digests)
      .values({ departmentId, localDate, digestTime: time, channel: dep.slackChannel, postedAt: now })
      .onConflictDoNothing();
    const row = one(await deps.db.select().from(digests).where(day), 'digest');
    if (row.ts && row.digestTime === (time ?? null)) {
      await update(slack, { channel: row.channel, ts: row.ts, ...message });
    } else {
      const posted = await post(slack, { channel: dep.slackChannel, ...message }, postIdentity(job));
      await deps.db
        .update(digests)
        .set({ ts: posted.ts, channel: posted.channel, digestTime: time, postedAt: now })
        .where(day);
    }
    await refreshWhenCountsChange(deps.db, dep, open, now);
    await deps.db.transaction((tx) => scheduleDigest(tx, dep, deps.now()));
  };
}

/** Brings today's posted digest up to date, if there is one. */
export function digestRefreshHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { departmentId } = job.payload as { departmentId: number };
    const { dep, open, now, message } = await digestFor(deps, departmentId);
    const today = localDay(now, dep.calendar.timezone);
    const [row] = await deps.db
      .select()
      .from(digests)
      .where(
        and(eq(digests.departmentId, departmentId), eq(digests.localDate, today), isNotNull(digests.ts)),
      );
    if (!row?.ts) return;
    await update(slack, { channel: row.channel, ts: row.ts, ...message });
    await refreshWhenCountsChange(deps.db, dep, open, now);
  };
}

async function openTickets(db: Db, departmentId: number) {
  const rows = await db
    .select({ t: tickets, client: clients.name, premium: clients.premium, responsible: users.name })
    .from(tickets)
    .innerJoin(clients, eq(clients.id, tickets.clientId))
    .leftJoin(users, eq(users.id, tickets.responsibleId))
    .where(and(eq(tickets.departmentId, departmentId), inArray(tickets.status, OPEN_STATUSES)));
  return rows.map((r) => ({ ...r.t, client: r.client, premium: r.premium, responsible: r.responsible }));
}
