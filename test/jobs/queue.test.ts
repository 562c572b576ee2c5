import { beforeEach, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema.ts';
import { cancel, claim, complete, enqueue, enqueueOnce, fail } from '../../src/jobs/queue.ts';
import { createWorker } from '../../src/jobs/worker.ts';
import { firstOf } from '../helpers/rows.ts';
import { useTestDb } from '../helpers/setup.ts';

const db = useTestDb();
beforeEach(() => db.reset());

const t0 = new Date('2026-03-02T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const job = (runAt: Date, payload = {}) => ({ kind: 'test', dedupeKey: 'k:1', runAt, payload });
const rows = () => db.db.select().from(jobs).orderBy(jobs.id);

describe('job table', () => {
  it('moves a pending job instead of adding a second one', async () => {
    await db.db.transaction((tx) => enqueue(tx, job(at(60), { v: 1 }), t0));
    await db.db.transaction((tx) => enqueue(tx, job(at(30), { v: 2 }), t0));
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: 'pending', runAt: at(30), payload: { v: 2 } });
  });

  it('enqueueOnce keeps the earlier time of a pending job', async () => {
    await db.db.transaction((tx) => enqueueOnce(tx, job(at(60)), t0));
    await db.db.transaction((tx) => enqueueOnce(tx, job(at(120)), t0));
    expect((await rows()).map((j) => j.runAt)).toEqual([at(60)]);
    // An earlier need brings it forward (a digest refresh planned for a deadline, then a ticket change).
    await db.db.transaction((tx) => enqueueOnce(tx, job(at(30)), t0));
    expect((await rows()).map((j) => j.runAt)).toEqual([at(30)]);
  });

  it('a job enqueued again while it runs runs once more after it completes', async () => {
    await db.db.transaction((tx) => enqueue(tx, job(at(0)), t0));
    const claimed = firstOf(await db.db.transaction((tx) => claim(tx, 'w1', at(1), 60_000)));
    expect(claimed.state).toBe('running');
    // The ticket changes while the worker is busy with the older state.
    await db.db.transaction((tx) => enqueue(tx, job(at(2), { v: 2 }), at(2)));
    expect(await rows()).toHaveLength(1);
    await db.db.transaction((tx) => complete(tx, claimed, 'w1', at(3)));
    const [again] = await rows();
    expect(again).toMatchObject({ state: 'pending', runAt: at(2), rerunAt: null });
    const second = firstOf(await db.db.transaction((tx) => claim(tx, 'w1', at(4), 60_000)));
    await db.db.transaction((tx) => complete(tx, second, 'w1', at(5)));
    expect(firstOf(await rows()).state).toBe('done');
  });

  it('a job nobody re-enqueued is done after it completes', async () => {
    await db.db.transaction((tx) => enqueue(tx, job(at(0)), t0));
    const claimed = firstOf(await db.db.transaction((tx) => claim(tx, 'w1', at(1), 60_000)));
    await db.db.transaction((tx) => complete(tx, claimed, 'w1', at(2)));
    expect(firstOf(await rows()).state).toBe('done');
    // A later change makes a new job rather than reviving the done one.
    await db.db.transaction((tx) => enqueue(tx, job(at(10)), at(10)));
    expect((await rows()).map((j) => j.state)).toEqual(['done', 'pending']);
  });

  it('failures back off, then stay failed with the error', async () => {
    await db.db.transaction((tx) => enqueue(tx, job(at(0)), t0));
    let now = at(1);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const claimed = firstOf(await db.db.transaction((tx) => claim(tx, 'w1', now, 60_000)));
      expect(claimed.attempts).toBe(attempt);
      await db.db.transaction((tx) => fail(tx, claimed, 'w1', `boom ${attempt}`, now, 2));
      const [row] = await rows();
      if (attempt === 1) {
        expect(row).toMatchObject({ state: 'pending', runAt: new Date(now.getTime() + 30_000) });
        now = new Date(now.getTime() + 30_000);
      } else {
        expect(row).toMatchObject({ state: 'failed', lastError: 'boom 2' });
      }
    }
    expect(await db.db.transaction((tx) => claim(tx, 'w1', at(3600), 60_000))).toEqual([]);
  });

  it('cancel by prefix leaves other keys alone', async () => {
    await db.db.transaction(async (tx) => {
      await enqueue(tx, { kind: 'sla', dedupeKey: 'sla:1:60', runAt: at(60) }, t0);
      await enqueue(tx, { kind: 'sla', dedupeKey: 'sla:1:15', runAt: at(90) }, t0);
      await enqueue(tx, { kind: 'sla', dedupeKey: 'sla:11:60', runAt: at(60) }, t0);
      await cancel(tx, 'sla:1:', t0);
    });
    const states = await db.db.select({ key: jobs.dedupeKey, state: jobs.state }).from(jobs);
    expect(states).toHaveLength(3);
    expect(states).toEqual(
      expect.arrayContaining([
        { key: 'sla:1:15', state: 'cancelled' },
        { key: 'sla:1:60', state: 'cancelled' },
        { key: 'sla:11:60', state: 'pending' },
      ]),
    );
  });

  it('a running job keeps its short lease by heartbeat: nobody else takes it while its worker lives', async () => {
    let now = at(0);
    const deps = { db: db.db, now: () => now, settings: { lockMinutes: 15 } };
    await db.db.transaction((tx) => enqueue(tx, job(at(0)), t0));
    let stolen: unknown[] = [];
    const worker = createWorker(deps, {
      id: 'w1',
      leaseMs: 300,
      handlers: {
        test: async () => {
          // Slack is slow: a second passes, far beyond the lease, while the worker waits for it.
          now = at(1);
          await new Promise((r) => setTimeout(r, 1000));
          stolen = await db.db.transaction((tx) => claim(tx, 'w2', now, 300));
        },
      },
    });
    expect(await worker.tick()).toBe(1);
    expect(stolen).toEqual([]);
    expect((await rows())[0]).toMatchObject({ state: 'done', attempts: 1 });
  });
});
