import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, expect } from 'vitest';
import type { Db } from '../../db/client.ts';
import { departments, jobs, type OnCall, ticketCards, users } from '../../db/schema.ts';
import type { Deps, Session } from '../../src/functions/types.ts';
import { createWorker } from '../../src/jobs/worker.ts';
import { BOT } from '../../src/sandbox/workspace.ts';
import { scheduledJobHandlers } from '../../src/slack/scheduled/handlers.ts';
import { useTestDb } from '../helpers/setup.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/slack-fake.ts';
import { makeWorld } from '../helpers/world.ts';

export const ROTATION: OnCall = {
  rotation: {
    members: ['UANNA', 'UBEN'],
    shiftHours: 24,
    handover: '09:00',
    timezone: 'Europe/Berlin',
    start: '2026-03-02',
  },
  chain: ['UBACKUP', 'subteam:SLEADS'],
  ackMinutes: 10,
};

/** The people scheduled work mentions or tells: the rotation, the chain, the linked staff. */
const PEOPLE = ['UANNA', 'UBEN', 'UBACKUP', 'UADMIN', 'UROOT'];

/**
 * The function-test world plus what scheduled work needs: Support posts to C_SUPPORT with a rotation
 * on call, staff are linked to Slack, and workers run the real job handlers against the tests' Slack,
 * whose clock is the world's.
 */
export async function makeScheduleWorld(db: Db, slack: FakeSlack, start: Date) {
  const w = await makeWorld(db, start);
  worldClock = () => w.clock.now();
  for (const id of PEOPLE) slack.addUser({ id, name: id.slice(1).toLowerCase(), tz: 'Europe/Berlin' });
  await db
    .update(departments)
    .set({ slackChannel: 'C_SUPPORT', oncall: ROTATION })
    .where(eq(departments.id, w.ids.support.id));
  await db.update(users).set({ slackUserId: 'UADMIN' }).where(eq(users.id, w.ids.admin.id));
  await db.update(users).set({ slackUserId: 'UROOT' }).where(eq(users.id, w.ids.root.id));
  const handlers = {
    ...scheduledJobHandlers(slack.client()),
    // Cards and thread messages belong to the Slack front door; here they only need to finish.
    'slack.card': async () => {},
    'slack.message': async () => {},
  };
  const worker = (id = 'w1', deps: Deps = w.deps, leaseMs?: number) =>
    createWorker(deps, { handlers, id, leaseMs, maxAttempts: 4 });
  const w1 = worker();
  return {
    ...w,
    worker,
    /** Runs rounds until nothing is due. */
    drain: async (wk = w1) => {
      while ((await wk.tick()) > 0);
    },
    /** Moves the clock to `at` and runs everything due. */
    at: async (at: string | Date, wk = w1) => {
      w.clock.set(new Date(at));
      while ((await wk.tick()) > 0);
    },
    /** The Ack button of a page, pressed by a staff member: through the registry. */
    ack: async (who: Session, escalationId: number) => {
      const r = await w.run(who, 'oncall.ack', { elid: String(escalationId) });
      if (r.kind !== 'ok' || !r.ack) throw new Error('oncall.ack gave no answer');
      return r.ack.taken
        ? { taken: true, ticketId: r.tickets[0] }
        : { taken: false, ticketId: r.tickets[0], by: r.ack.by };
    },
    /** A department's settings changed by `who`, as the API and the Slack modal do it. */
    settings: (who: Session, departmentId: number, values: Record<string, string>) =>
      w.run(who, 'department.schedule', { elid: String(departmentId), ...values, sok: 'ok' }),
    jobsOf: (kind: string) => db.select().from(jobs).where(eq(jobs.kind, kind)).orderBy(jobs.id),
    /** A ticket's card as the Slack door posts it (already in Slack, so no call to count); its ts. */
    card: async (ticketId: number): Promise<string> => {
      const { ts } = slack.workspace.post({
        channel: 'C_SUPPORT',
        text: `Ticket #${ticketId}`,
        bot_id: BOT.botId,
        user: BOT.user,
      });
      await db.insert(ticketCards).values({ ticketId, channel: 'C_SUPPORT', ts });
      return ts;
    },
  };
}

export type ScheduleWorld = Awaited<ReturnType<typeof makeScheduleWorld>>;

/** The clock of the last world made: the tests' Slack keeps the world's time. */
let worldClock = () => new Date();

/**
 * A database emptied and a new Slack before each test; with `start`, also the schedule world on them
 * with its clock at `start` (like useTestWorld, filled in place).
 */
export function useScheduleWorld(start?: Date) {
  const db = useTestDb();
  const slack = {} as FakeSlack;
  const w = {} as ScheduleWorld;
  let running = false;
  const stop = async () => {
    if (running) await slack.close();
    running = false;
  };
  afterAll(stop);
  beforeEach(async () => {
    await stop();
    await db.reset();
    Object.assign(slack, await startFakeSlack({ now: () => worldClock() }));
    running = true;
    if (start) Object.assign(w, await makeScheduleWorld(db.db, slack, start));
  });
  return { db, slack, w };
}

/**
 * Every message Support posts, in order, for one high-priority ticket opened Monday 10:00 UTC with its
 * card, and the digest (09:00 Berlin) of the next day.
 */
export const HIGH_TICKET_AND_DIGEST = [
  expect.stringContaining(':hourglass_flowing_sand: <@UANNA>'), // 60 min before
  expect.stringContaining(':rotating_light: <@UANNA> High-priority'), // page
  expect.stringContaining('<@UBACKUP> Escalation'),
  expect.stringContaining('<!subteam^SLEADS> Escalation'),
  expect.stringContaining(':hourglass_flowing_sand: <@UANNA>'), // 15 min before
  expect.stringContaining(':rotating_light: <@UANNA> The response deadline'), // breach
  expect.stringContaining('Queue digest for Support, 2026-03-03'),
];
