import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { clients, type Department, departments, digests, jobs, tickets, users } from '../../db/schema.ts';
import { buildDigest, localDay, nextDigestAt } from '../domain/digest.ts';
import { OPEN_STATUSES } from '../domain/tickets.ts';
import { missed } from '../functions/errors.ts';
import type { Deps } from '../functions/types.ts';
import { cancel, enqueue, enqueueOnce, type Job } from './jobs.ts';
import { post, type Slack, update } from './slack-out.ts';
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
      dedupeKey: `digest:${dep.id}:${localDate}`,
      runAt: at,
      payload: { departmentId: dep.id, localDate },
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
  if (!wantsDigest(dep)) return;
  await enqueueOnce(
    tx,
    {
      kind: DIGEST_REFRESH,
      dedupeKey: `digest-refresh:${dep.id}`,
      runAt: new Date(now.getTime() + REFRESH_DELAY_MS),
      payload: { departmentId: dep.id },
    },
    now,
  );
}

/** The digest of a department as it stands now: for the daily post and for `/ticket digest`. */
export async function digestFor(deps: Deps, departmentId: number) {
  const [dep] = await deps.db.select().from(departments).where(eq(departments.id, departmentId));
  if (!dep) throw missed('department', `Department ${departmentId} does not exist`, String(departmentId));
  const now = deps.now();
  const open = await openTickets(deps.db, dep.id);
  return {
    dep,
    message: digestMessage(
      dep.name,
      buildDigest(open, now, dep.calendar.timezone),
      dep.calendar.timezone,
      now,
    ),
  };
}

/**
 * The daily post. The digests row, claimed before posting, makes it one per department and local day:
 * a second run of the day (a re-scheduled time, a retried job) refreshes the posted message instead.
 */
export function digestPostHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { departmentId, localDate } = job.payload as { departmentId: number; localDate: string };
    const { dep, message } = await digestFor(deps, departmentId);
    if (!wantsDigest(dep)) return;
    const claimed = await deps.db
      .insert(digests)
      .values({ departmentId, localDate, channel: dep.slackChannel, postedAt: deps.now() })
      .onConflictDoNothing()
      .returning();
    const [row] = claimed.length
      ? claimed
      : await deps.db
          .select()
          .from(digests)
          .where(and(eq(digests.departmentId, departmentId), eq(digests.localDate, localDate)));
    if (row.ts) {
      await update(slack, { channel: row.channel, ts: row.ts, ...message });
    } else {
      const posted = await post(slack, { channel: dep.slackChannel, ...message });
      await deps.db
        .update(digests)
        .set({ ts: posted.ts, channel: posted.channel })
        .where(and(eq(digests.departmentId, departmentId), eq(digests.localDate, localDate)));
    }
    await deps.db.transaction((tx) => scheduleDigest(tx, dep, deps.now()));
  };
}

/** Brings today's posted digest up to date, if there is one. */
export function digestRefreshHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { departmentId } = job.payload as { departmentId: number };
    const { dep, message } = await digestFor(deps, departmentId);
    const today = localDay(deps.now(), dep.calendar.timezone);
    const [row] = await deps.db
      .select()
      .from(digests)
      .where(
        and(eq(digests.departmentId, departmentId), eq(digests.localDate, today), isNotNull(digests.ts)),
      );
    if (row?.ts) await update(slack, { channel: row.channel, ts: row.ts, ...message });
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
