import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { departments, jobs } from '../../db/schema.ts';
import { ensureDigests } from '../../src/functions/planners/digest.ts';
import type { Deps } from '../../src/functions/types.ts';
import { DEFAULT_LEASE_MS } from '../../src/jobs/worker.ts';
import { HIGH_TICKET_AND_DIGEST, useScheduleWorld } from './fixture.ts';

const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));
/** The second replica's own connection on Postgres; on PGlite both share the one embedded instance. */
let second: DbHandle | undefined;
beforeAll(async () => {
  if (db.url) second = await openDb({ databaseUrl: db.url });
});
afterAll(() => second?.close());

/** Whatever is touched after kill() never answers: a value of any shape, awaited forever. */
const frozen: unknown = new Proxy(() => {}, {
  get: (_t, prop) => (prop === 'then' ? () => {} : frozen),
  apply: () => frozen,
});

/**
 * Deps for a worker that can be killed: from kill() on, its database calls never come back, so it
 * commits nothing more and its heartbeat stops, as if the process had died at that instant.
 */
function killable(deps: Deps) {
  let dead = false;
  const db = new Proxy(deps.db, {
    get: (target, prop, receiver) => (dead ? frozen : Reflect.get(target, prop, receiver)),
  });
  return { deps: { ...deps, db }, kill: () => (dead = true) };
}

const MOMENTS = [
  '2026-03-02T10:00:00Z',
  '10:10:00',
  '10:20:00',
  '10:45:00',
  '11:00:00',
  '2026-03-03T08:00:00Z',
].map((t) => new Date(t.includes('T') ? t : `2026-03-02T${t}Z`));
const later = (at: Date, ms: number) => new Date(at.getTime() + ms);
const texts = () => slack.posts().map((p) => String(p.text));

async function setUp() {
  await db.db.update(departments).set({ digestTime: '09:00' }).where(eq(departments.id, w.ids.support.id));
  await ensureDigests(w.deps);
  const id = await w.openTicket({ priority: '2' });
  await w.card(id);
}

/** Starts a round on a worker that dies right after Slack accepted its first post; waits for that post. */
async function dieAfterPost(deps: Deps, id: string) {
  const k = killable(deps);
  const before = slack.posts().length;
  slack.afterPost(() => {
    k.kill();
    slack.afterPost(undefined);
  });
  void w.worker(id, k.deps).tick();
  await vi.waitFor(() => expect(slack.posts().length).toBe(before + 1), { timeout: 10_000 });
}

describe('a worker killed between the post and its commit', () => {
  it('warnings, pages and digests: the retry finds its post in Slack, the rest resumes within the lease, in order', async () => {
    await setUp();
    const survivor = w.worker('survivor', { ...w.deps, db: second?.db ?? db.db });
    for (const [n, at] of MOMENTS.entries()) {
      w.clock.set(at);
      await dieAfterPost(w.deps, `dying-${n}`);
      const posted = texts().length;
      // The dead worker's lease has not run out: its jobs are still its own.
      await w.at(later(at, DEFAULT_LEASE_MS - 1), survivor);
      expect(texts()).toHaveLength(posted);
      await w.at(later(at, DEFAULT_LEASE_MS), survivor);
    }
    expect(texts()).toEqual(HIGH_TICKET_AND_DIGEST);
    const retried = await db.db.select().from(jobs).where(eq(jobs.attempts, 2));
    expect(retried.map((j) => j.kind)).toEqual(
      expect.arrayContaining(['sla.warning', 'oncall.page', 'digest.post']),
    );
    // Each retry read the channel or thread back before posting.
    expect(slack.calls.filter((c) => c.method === 'conversations.replies').length).toBeGreaterThanOrEqual(5);
    expect(slack.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(1);
    expect(await db.db.select().from(jobs).where(eq(jobs.state, 'failed'))).toEqual([]);
  });

  it('two replicas, one killed mid-post at every moment and restarted: 0 duplicates, 0 misses', async () => {
    await setUp();
    const b = w.worker('replica-b', { ...w.deps, db: second?.db ?? db.db });
    const both = async (at: Date, a: ReturnType<typeof w.worker>) => {
      w.clock.set(at);
      for (;;) {
        const [x, y] = await Promise.all([a.tick(), b.tick()]);
        if (x + y === 0) break;
      }
    };
    for (const [n, at] of MOMENTS.entries()) {
      w.clock.set(at);
      await dieAfterPost(w.deps, `replica-a-${n}`);
      // Replica A comes back under a new identity while B keeps polling.
      const restarted = w.worker(`replica-a-${n}-restarted`);
      await both(at, restarted);
      await both(later(at, DEFAULT_LEASE_MS), restarted);
    }
    expect(texts()).toEqual(HIGH_TICKET_AND_DIGEST);
    const open = await db.db.select().from(jobs).where(eq(jobs.state, 'running'));
    expect(open).toEqual([]);
  });
});
