import { expect, it } from 'vitest';
import { jobs, slackClaims } from '../../db/schema.ts';
import { createRetention } from '../../src/retention.ts';
import { useTestDb } from '../helpers/setup.ts';

const db = useTestDb();
const now = new Date('2026-03-31T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 60 * 60_000);

it('deletes finished jobs and claims past their age in batches; keeps pending, running, failed and recent ones', async () => {
  const old = daysAgo(30);
  // A simulated month: 1,200 finished jobs and 300 old claims, plus what must stay.
  const finished = Array.from({ length: 1200 }, (_, i) => ({
    kind: 'sla.warning',
    dedupeKey: `old:${i}`,
    payload: {},
    runAt: old,
    updatedAt: old,
    state: i % 2 ? ('done' as const) : ('cancelled' as const),
  }));
  await db.db.insert(jobs).values(finished);
  const keep = [
    { dedupeKey: 'pending', state: 'pending' as const, runAt: old, updatedAt: old },
    { dedupeKey: 'running', state: 'running' as const, runAt: old, updatedAt: old },
    { dedupeKey: 'failed', state: 'failed' as const, runAt: old, updatedAt: old },
    { dedupeKey: 'recent', state: 'done' as const, runAt: daysAgo(1), updatedAt: daysAgo(1) },
    // Cancelled early, but planned for a time that has not passed long enough.
    { dedupeKey: 'planned', state: 'cancelled' as const, runAt: daysAgo(2), updatedAt: old },
  ];
  await db.db.insert(jobs).values(keep.map((j) => ({ ...j, kind: 'sla.warning', payload: {} })));
  await db.db
    .insert(slackClaims)
    .values(Array.from({ length: 300 }, (_, i) => ({ claimKey: `event:${i}`, receivedAt: old })));
  await db.db.insert(slackClaims).values({ claimKey: 'event:fresh', receivedAt: daysAgo(2.5) });

  const retention = createRetention(
    { db: db.db, now: () => now, settings: { lockMinutes: 30 } },
    { jobsDays: 7, claimsDays: 3, batch: 100 },
  );
  expect(await retention.purge()).toEqual({ jobs: 1200, claims: 300 });

  const left = await db.db.select({ key: jobs.dedupeKey }).from(jobs);
  expect(left.map((j) => j.key).sort()).toEqual(['failed', 'pending', 'planned', 'recent', 'running']);
  expect(await db.db.select({ id: slackClaims.claimKey }).from(slackClaims)).toEqual([{ id: 'event:fresh' }]);
  expect(await retention.purge()).toEqual({ jobs: 0, claims: 0 });
});
