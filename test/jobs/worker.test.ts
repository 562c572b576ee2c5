import { beforeEach, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema.ts';
import type { Deps } from '../../src/functions/types.ts';
import { claim, enqueue, type Job } from '../../src/jobs/queue.ts';
import { createWorker, type JobHandler, NotYet, RetryLater } from '../../src/jobs/worker.ts';
import { useTestDb } from '../helpers/setup.ts';

const db = useTestDb();
beforeEach(() => db.reset());

const t0 = new Date('2026-03-02T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const deps = (now: () => Date): Deps => ({ db: db.db, now, settings: { lockMinutes: 15 } });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const rows = () => db.db.select().from(jobs).orderBy(jobs.id);

/** Jobs of kind `test`, due in this order from `runAt`: one per payload, keyed `prefix:index`. */
async function plant(payloads: Record<string, unknown>[], runAt = t0, prefix = 'k'): Promise<void> {
  await db.db.transaction(async (tx) => {
    for (const [i, payload] of payloads.entries())
      await enqueue(
        tx,
        { kind: 'test', dedupeKey: `${prefix}:${i}`, runAt: new Date(runAt.getTime() + i), payload },
        t0,
      );
  });
}

/** Resolves once `n` callers wait in it at once; a caller waiting longer than `ms` fails and leaves. */
function barrier(n: number, ms: number) {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    if (++waiting === n) open();
    await Promise.race([
      opened,
      sleep(ms).then(() => {
        waiting--;
        throw new Error(`only ${waiting + 1} of ${n} jobs ran together`);
      }),
    ]);
  };
}

/** A handler that records which jobs of each lane (payload.ticketId) overlap. */
function laneWatch(ms: number) {
  const running = new Map<unknown, number>();
  const overlaps: unknown[] = [];
  const order: number[] = [];
  let most = 0;
  const handler: JobHandler = async (job: Job) => {
    const lane = job.payload.ticketId;
    const now = (running.get(lane) ?? 0) + 1;
    running.set(lane, now);
    if (now > 1) overlaps.push(lane);
    most = Math.max(
      most,
      [...running.values()].reduce((a, b) => a + b, 0),
    );
    order.push(Number(job.payload.n));
    await sleep(ms);
    running.set(lane, (running.get(lane) ?? 1) - 1);
  };
  return { handler, overlaps, order, most: () => most };
}

describe('worker concurrency', () => {
  it('runs the jobs it claims side by side: four jobs meeting at a barrier all complete', async () => {
    await plant([{}, {}, {}, {}]);
    const meet = barrier(4, 2000);
    const worker = createWorker(
      deps(() => at(1)),
      { concurrency: 4, handlers: { test: () => meet() } },
    );
    expect(await worker.tick()).toBe(4);
    expect((await rows()).map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('with concurrency 1 the same jobs run one after another, and none meets the others', async () => {
    await plant([{}, {}, {}, {}]);
    const meet = barrier(4, 50);
    const worker = createWorker(
      deps(() => at(1)),
      { concurrency: 1, handlers: { test: () => meet() } },
    );
    expect(await worker.tick()).toBe(4);
    expect((await rows()).map((j) => [j.state, j.lastError])).toEqual(
      Array(4).fill(['pending', 'only 1 of 4 jobs ran together']),
    );
  });

  it('never runs two jobs of one lane at once, and runs them in planned order', async () => {
    // Ticket 7 has three jobs, ticket 8 two; job 5 has no lane.
    const lanes = [7, 7, 8, 7, 8, undefined];
    await plant(lanes.map((ticketId, n) => (ticketId ? { ticketId, n } : { n })));
    const watch = laneWatch(30);
    // Three slots: the first claim takes jobs 0 and 1 of ticket 7 (run one after the other) and job
    // 2; later claims, as slots free, must skip ticket 7 while it is busy.
    const worker = createWorker(
      deps(() => new Date()),
      {
        concurrency: 3,
        pollMs: 20,
        handlers: { test: watch.handler },
      },
    );
    worker.start();
    while ((await rows()).some((j) => j.state !== 'done')) await sleep(20);
    await worker.stop();
    expect(watch.overlaps).toEqual([]);
    expect(watch.most()).toBeGreaterThan(1);
    expect(watch.order.filter((n) => lanes[n] === 7)).toEqual([0, 1, 3]);
    expect(watch.order.filter((n) => lanes[n] === 8)).toEqual([2, 4]);
  });

  it("a claim skips the worker's busy lanes: a ticket's, else a department's", async () => {
    await plant([
      { ticketId: 7 },
      { departmentId: 7 },
      { ticketId: 8 },
      {},
      { ticketId: 7, departmentId: 8 },
    ]);
    const taken = await db.db.transaction((tx) =>
      claim(tx, 'w1', at(1), 10_000, 10, ['ticket:7', 'department:8']),
    );
    expect(taken.map((j) => [j.dedupeKey, j.lane])).toEqual([
      ['k:1', 'department:7'],
      ['k:2', 'ticket:8'],
      ['k:3', null],
    ]);
  });

  it('records each outcome of a batch run side by side: done, retry at Retry-After, wait, failure', async () => {
    await plant([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
    const outcomes = [
      async () => {},
      async () => {
        throw new RetryLater('Slack rate limit', 5000);
      },
      async () => {
        throw new NotYet('step before on its way', 2000);
      },
      async () => {
        throw new Error('boom');
      },
    ];
    const worker = createWorker(
      deps(() => at(1)),
      {
        concurrency: 4,
        handlers: { test: (job) => (outcomes[Number(job.payload.n)] as () => Promise<void>)() },
      },
    );
    expect(await worker.tick()).toBe(4);
    const [done, limited, waiting, failed] = await rows();
    expect(done).toMatchObject({ state: 'done', attempts: 1 });
    // Slack's rate limit is a wait, not a failure: no attempt spent.
    expect(limited).toMatchObject({
      state: 'pending',
      attempts: 0,
      runAt: at(6),
      lastError: 'Slack rate limit',
    });
    expect(waiting).toMatchObject({ state: 'pending', attempts: 0, runAt: at(3), lastError: null });
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, runAt: at(31), lastError: 'boom' });
  });

  it('a job Slack refused closes its slot until Retry-After, but never the last slot', async () => {
    await plant([{ refuse: true }, { refuse: true }, { refuse: true }]);
    let now = at(1);
    let running = 0;
    let most = 0;
    const worker = createWorker(
      deps(() => now),
      {
        concurrency: 3,
        handlers: {
          test: async (job) => {
            if (job.payload.refuse) throw new RetryLater('Slack rate limit', 10_000);
            most = Math.max(most, ++running);
            await sleep(20);
            running--;
          },
        },
      },
    );
    expect(await worker.tick()).toBe(3);
    await plant([{}, {}, {}], at(2), 'b');
    now = at(5);
    expect(await worker.tick()).toBe(3);
    expect(most).toBe(1);
    // The slots open again at 11 s.
    await plant([{}, {}, {}], at(6), 'c');
    now = at(12);
    most = 0;
    await worker.tick();
    expect(most).toBe(3);
  });

  it('stop() waits for the jobs in flight', async () => {
    await plant([{}, {}]);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const worker = createWorker(
      deps(() => new Date()),
      {
        concurrency: 2,
        handlers: {
          test: async () => {
            started++;
            await released;
          },
        },
      },
    );
    worker.start();
    while (started < 2) await sleep(10);
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await rows()).map((j) => j.state)).toEqual(['done', 'done']);
  });

  it('the heartbeat renews only the jobs in flight: one whose outcome was lost is taken again', async () => {
    await plant([{}]);
    // w1 claimed it, then could not record the outcome (the database failed): it stays running.
    await db.db.transaction((tx) => claim(tx, 'w1', new Date(), 300));
    await plant([{}], new Date(), 'b');
    const worker = createWorker(
      deps(() => new Date()),
      {
        id: 'w1',
        leaseMs: 300,
        handlers: { test: () => sleep(600) },
      },
    );
    expect(await worker.tick()).toBe(1);
    const lost = await db.db.transaction((tx) => claim(tx, 'w2', new Date(), 300));
    expect(lost.map((j) => j.dedupeKey)).toEqual(['k:0']);
  });
});
