import { and, eq, getTableColumns, inArray, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { escapeLike } from '../../db/like.ts';
import { jobs } from '../../db/schema.ts';
import { laneOf } from './lanes.ts';

export type Job = typeof jobs.$inferSelect;

type NewJob = { kind: string; dedupeKey: string; runAt: Date; payload?: Record<string, unknown> };

/**
 * Schedules a job, or moves the pending one with the same dedupe key to the new time and payload.
 * If that job is running right now, its worker acts on an older state: the job is asked to run again
 * (`rerun_at`) once it completes. Call it inside the transaction of the change that causes the job,
 * so both commit or neither does.
 */
export async function enqueue(tx: Tx, job: NewJob, now: Date): Promise<void> {
  await upsert(tx, job, now, true);
}

/**
 * Schedules a job, or brings the pending one with the same key forward to the earlier of the two
 * times: a debounce that, unlike `enqueue`, never pushes the pending job further out (steady changes
 * cannot starve it). A running one is asked to run again, as with `enqueue`.
 */
export async function enqueueOnce(tx: Tx, job: NewJob, now: Date): Promise<void> {
  await upsert(tx, job, now, false);
}

async function upsert(tx: Tx, job: NewJob, now: Date, move: boolean): Promise<void> {
  const runAt = sql`excluded.run_at`;
  await tx
    .insert(jobs)
    .values({
      kind: job.kind,
      dedupeKey: job.dedupeKey,
      runAt: job.runAt,
      payload: job.payload ?? {},
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: jobs.dedupeKey,
      targetWhere: sql`state in ('pending', 'running')`,
      set: {
        runAt: sql`case when ${jobs.state} = 'pending' then ${move ? runAt : sql`least(${jobs.runAt}, ${runAt})`} else ${jobs.runAt} end`,
        rerunAt: sql`case when ${jobs.state} = 'running' then coalesce(${jobs.rerunAt}, ${runAt}) end`,
        payload: move ? sql`excluded.payload` : jobs.payload,
        kind: sql`excluded.kind`,
        updatedAt: now,
      },
    });
}

/** Cancels pending jobs whose dedupe key starts with `prefix` (e.g. every SLA warning of a ticket). */
export async function cancel(tx: Tx, prefix: string, now: Date): Promise<void> {
  await tx
    .update(jobs)
    .set({ state: 'cancelled', updatedAt: now })
    .where(and(eq(jobs.state, 'pending'), sql`${jobs.dedupeKey} like ${`${escapeLike(prefix)}%`}`));
}

/** A claimed job with its lane (lanes.ts): the worker runs one job of a lane at a time. */
export type Claimed = Job & { lane: string | null };

/** The most jobs of lanes already taken that one claim takes along (the batch size before lanes). */
const LANE_FOLLOWERS = 10;

/**
 * Claims up to `limit` due jobs for `worker` with a lease, in planned order. Jobs whose lease expired
 * (their worker died) are claimed again. SKIP LOCKED lets replicas claim side by side without waiting
 * on each other. Jobs of `busyLanes` (the lanes the worker is running) are left for later. The other
 * due jobs of the lanes taken come along (up to LANE_FOLLOWERS), for the worker to run after them:
 * another replica then cannot take a ticket's next job while this one runs its first.
 */
export async function claim(
  tx: Tx,
  worker: string,
  now: Date,
  leaseMs: number,
  limit = 10,
  busyLanes: string[] = [],
): Promise<Claimed[]> {
  const lane = laneOf(jobs);
  // Column operators, not raw SQL: they encode the Date for postgres.js as well as PGlite.
  const isDue = or(
    and(eq(jobs.state, 'pending'), lte(jobs.runAt, now)),
    and(eq(jobs.state, 'running'), lte(jobs.lockedUntil, now)),
  );
  const first = await tx
    .select({ id: jobs.id, lane })
    .from(jobs)
    .where(and(isDue, busyLanes.length > 0 ? or(isNull(lane), notInArray(lane, busyLanes)) : undefined))
    .orderBy(jobs.runAt, jobs.id)
    .limit(limit)
    .for('update', { skipLocked: true });
  const lanes = [...new Set(first.flatMap((j) => (j.lane === null ? [] : [j.lane])))];
  const followers =
    lanes.length === 0
      ? []
      : await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(
            and(
              isDue,
              inArray(lane, lanes),
              notInArray(
                jobs.id,
                first.map((j) => j.id),
              ),
            ),
          )
          .orderBy(jobs.runAt, jobs.id)
          .limit(LANE_FOLLOWERS)
          .for('update', { skipLocked: true });
  const due = [...first, ...followers];
  if (due.length === 0) return [];
  const claimed = await tx
    .update(jobs)
    .set({
      state: 'running',
      lockedBy: worker,
      lockedUntil: new Date(now.getTime() + leaseMs),
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: now,
    })
    .where(
      inArray(
        jobs.id,
        due.map((j) => j.id),
      ),
    )
    .returning({ ...getTableColumns(jobs), lane });
  // UPDATE … RETURNING keeps no order: the batch runs in planned order, as claimed.
  return claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Marks a claimed job done (or pending again, if it was re-enqueued while running), if this worker still holds it. */
export async function complete(tx: Tx, job: Job, worker: string, now: Date): Promise<void> {
  await tx
    .update(jobs)
    .set({
      state: sql`case when ${jobs.rerunAt} is null then 'done' else 'pending' end`,
      runAt: sql`coalesce(${jobs.rerunAt}, ${jobs.runAt})`,
      rerunAt: null,
      lockedBy: null,
      lockedUntil: null,
      updatedAt: now,
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, worker), eq(jobs.state, 'running')));
}

/**
 * Keeps the jobs this worker is running leased: its heartbeat, so a short lease only runs out when it
 * died. Only the ids it runs: a job whose outcome could not be recorded must not be kept forever by
 * a worker that stays busy with others; its lease runs out and it is claimed again.
 */
export async function extendLeases(
  tx: Tx,
  worker: string,
  ids: number[],
  now: Date,
  leaseMs: number,
): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(jobs)
    .set({ lockedUntil: new Date(now.getTime() + leaseMs) })
    .where(and(inArray(jobs.id, ids), eq(jobs.lockedBy, worker), eq(jobs.state, 'running')));
}

/**
 * Puts a claimed job back for later without counting the attempt: it waits (an earlier step of its
 * chain is still on its way, or Slack's rate limit until Retry-After), it did not fail.
 */
export async function postpone(
  tx: Tx,
  job: Job,
  worker: string,
  runAt: Date,
  now: Date,
  /** Why, when it was told to wait (Slack's rate limit): shown as the job's last error. */
  reason?: string,
): Promise<void> {
  await tx
    .update(jobs)
    .set({
      state: 'pending',
      runAt,
      attempts: sql`${jobs.attempts} - 1`,
      ...(reason ? { lastError: reason } : {}),
      rerunAt: null,
      lockedBy: null,
      lockedUntil: null,
      updatedAt: now,
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, worker), eq(jobs.state, 'running')));
}

/** Retries with exponential backoff (30 s, 1 min, 2 min …); after the last attempt the job stays `failed`, visible. */
export async function fail(
  tx: Tx,
  job: Job,
  worker: string,
  error: string,
  now: Date,
  maxAttempts: number,
): Promise<void> {
  const last = job.attempts >= maxAttempts;
  const backoff = 30_000 * 2 ** Math.max(0, job.attempts - 1);
  await tx
    .update(jobs)
    .set({
      state: last ? 'failed' : 'pending',
      runAt: last ? job.runAt : new Date(now.getTime() + backoff),
      lockedBy: null,
      lockedUntil: null,
      lastError: error.slice(0, 2000),
      // The retry reads the current state anyway.
      rerunAt: null,
      updatedAt: now,
    })
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, worker)));
}

/** Jobs due now or earlier that nobody has taken (for /metrics and tests). */
export async function pendingDue(tx: Tx, now: Date): Promise<Job[]> {
  return tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.state, 'pending'), lte(jobs.runAt, now)));
}
