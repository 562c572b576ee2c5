import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { departments, jobs } from '../../db/schema.ts';
import { ensureDigests } from '../../src/functions/planners/digest.ts';
import { claim, complete } from '../../src/jobs/queue.ts';
import { HIGH_TICKET_AND_DIGEST, useScheduleWorld } from './fixture.ts';

const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));
/** The second replica's own connection on Postgres; on PGlite both share the one embedded instance. */
let second: DbHandle | undefined;
beforeAll(async () => {
  if (db.url) second = await openDb({ databaseUrl: db.url });
});
afterAll(() => second?.close());

describe('two replicas on one database', () => {
  it('send every warning, escalation step and digest exactly once', async () => {
    await db.db.update(departments).set({ digestTime: '09:00' }).where(eq(departments.id, w.ids.support.id));
    const a = w.worker('replica-a');
    const b = w.worker('replica-b', { ...w.deps, db: second?.db ?? db.db });
    await ensureDigests(w.deps);
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    const both = async (at: string) => {
      w.clock.set(new Date(at));
      // Both replicas poll side by side until neither finds work.
      for (;;) {
        const [x, y] = await Promise.all([a.tick(), b.tick()]);
        if (x + y === 0) break;
      }
    };
    for (const at of ['10:00:00', '10:10:00', '10:20:00', '10:45:00', '11:00:00', '11:01:00']) {
      await both(`2026-03-02T${at}Z`);
    }
    await both('2026-03-03T08:00:00Z');
    await both('2026-03-03T08:00:30Z');
    const texts = slack.posts().map((p) => String(p.text));
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toEqual(HIGH_TICKET_AND_DIGEST);
    const done = await db.db.select().from(jobs).where(eq(jobs.state, 'done'));
    expect(new Set(done.map((j) => j.lockedBy))).toEqual(new Set([null]));
    expect(await db.db.select().from(jobs).where(eq(jobs.state, 'failed'))).toEqual([]);
  });

  it('a worker killed in the middle of a job leaves it to the other once its lease expires', async () => {
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    const survivor = w.worker('survivor', { ...w.deps, db: second?.db ?? db.db }, 60_000);
    // Everything due now is claimed by a worker that then dies without finishing.
    const taken = await db.db.transaction((tx) => claim(tx, 'dead', w.clock.now(), 60_000, 100));
    expect(taken.map((j) => j.kind).sort()).toEqual([
      'oncall.page',
      'sla.warning',
      'slack.card',
      'slack.message',
    ]);
    await w.drain(survivor);
    expect(slack.posts()).toEqual([]);
    await w.at('2026-03-02T10:00:59Z', survivor);
    expect(slack.posts()).toEqual([]);
    await w.at('2026-03-02T10:01:00Z', survivor);
    expect(slack.posts().map((p) => String(p.text).split(' ')[0])).toEqual([
      ':hourglass_flowing_sand:',
      ':rotating_light:',
    ]);
    // The dead worker coming back cannot mark the re-run job as its own.
    const page = taken.find((j) => j.kind === 'oncall.page');
    await db.db.transaction((tx) => complete(tx, page as NonNullable<typeof page>, 'dead', w.clock.now()));
    const [row] = await db.db
      .select()
      .from(jobs)
      .where(eq(jobs.id, page?.id ?? 0));
    expect(row).toMatchObject({ state: 'done', attempts: 2 });
    await w.at('2026-03-02T10:05:00Z', survivor);
    expect(slack.posts()).toHaveLength(2);
  });
});
