import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { tickets } from '../../db/schema.ts';
import { TicketError } from '../../src/functions/errors.ts';
import { call } from '../../src/functions/registry.ts';
import type { Session } from '../../src/functions/types.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

/**
 * Buttons appear only where they can work, for whom they can work: each view is rendered for each
 * kind of viewer and ticket state through the real Slack door, and the buttons it offers must be
 * exactly those whose function call succeeds for that viewer (each call tried, then rolled back).
 */
const { db, h } = useSlackHarness();
let id: number;
beforeEach(async () => {
  id = await h.w.openTicket();
  await h.runJobs();
  h.fake.clear();
});

const ROLLBACK = new Error('rollback');

/** Whether a function call would succeed now; nothing it does is kept. */
async function works(session: Session, name: string, params: Record<string, string>): Promise<boolean> {
  let ok = false;
  try {
    await db.db.transaction(async (tx) => {
      const [before] = await tx.select().from(tickets).where(eq(tickets.id, id));
      try {
        const r = await call({ ...h.w.deps, db: tx as never }, session, name, params);
        // Unblocking an unlocked ticket, closing a closed one: "done", but nothing a button is for.
        const locked = Boolean(before?.lockedUntil && before.lockedUntil > h.w.clock.now());
        ok = name === 'ticket.unblock' ? locked : r.kind !== 'ok' || r.tickets.length > 0;
      } catch (error) {
        if (!(error instanceof TicketError)) throw error;
      }
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return ok;
}

/** What each staff ticket button calls. */
const STAFF_CALLS: Record<string, [string, Record<string, string>]> = {
  'card.reply': ['ticket.edit', { message: 'hello', sok: 'ok' }],
  'card.priority': ['ticket.edit', { priority: '2', sok: 'ok' }],
  'card.assign': ['ticket.edit', { responsible: '0', sok: 'ok' }],
  'card.deadline': ['ticket.edit', { deadline_date: '2026-03-20', deadline_time: '12:00', sok: 'ok' }],
  'card.favorite': ['ticket.favorite', { sok: 'ok' }],
  'card.messages': ['ticket.message', {}],
  'card.charge': ['ticket.edit', { ticket_expense: '1', sok: 'ok' }],
  'card.abuse': ['ticket.edit', { show_abuse: 'on', score: '1', sok: 'ok' }],
  'card.su': ['ticket.su', {}],
  'card.unblock': ['ticket.unblock', { sok: 'ok' }],
  'card.close': ['ticket.delete', { sok: 'ok' }],
  'queue.open': ['ticket.edit', {}],
};

async function workingStaffButtons(session: Session, among: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const action of among) {
    const [name, params] = STAFF_CALLS[action] as [string, Record<string, string>];
    if (await works(session, name, { elid: String(id), ...params })) out.push(action);
  }
  return out.sort();
}

/** The ticket buttons (by action_id) a view offers for this ticket. */
function offered(blocks: Json[], known: string[]): string[] {
  const ids = new Set<string>();
  for (const b of blocks) {
    const elements = b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : [];
    for (const e of elements)
      if (known.includes(e.action_id) && String(e.value).split(':')[0] === String(id)) ids.add(e.action_id);
  }
  return [...ids].sort();
}

const STATES: Record<string, () => Promise<unknown>> = {
  open: async () => {},
  'locked by a colleague': () => h.w.run(h.w.as.root, 'ticket.edit', { elid: String(id) }),
  closed: () => h.w.run(h.w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' }),
  archived: async () => {
    await h.w.run(h.w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    await h.w.run(h.w.as.alice, 'clientticket.archive', { elid: String(id), sok: 'ok' });
  },
};

describe('buttons offered are exactly those that work', () => {
  for (const [state, setUp] of Object.entries(STATES)) {
    it(`/ticket N for staff, ${state}`, async () => {
      await setUp();
      await h.command('UADMIN', String(id));
      const blocks = h.fake.last('response_url').params.blocks as Json[];
      const known = Object.keys(STAFF_CALLS).filter((a) => a !== 'queue.open');
      expect(offered(blocks, known)).toEqual(await workingStaffButtons(h.w.as.admin, known));
    });

    it(`App Home for staff, ${state}`, async () => {
      await h.w.run(h.w.as.admin, 'ticket.favorite', { elid: String(id), sok: 'ok' });
      await setUp();
      await h.event({ type: 'app_home_opened', user: 'UADMIN', channel: 'DADMIN', tab: 'home' });
      const blocks = (h.fake.last('views.publish').params.view as Json).blocks as Json[];
      const known = ['card.reply', 'card.favorite', 'card.messages', 'queue.open'];
      const shown = offered(blocks, known);
      // Closed and archived tickets may not be listed at all: then nothing is offered, which is fine.
      if (state === 'open' || state === 'locked by a colleague') expect(shown.length).toBeGreaterThan(0);
      if (shown.length > 0) expect(shown).toEqual(await workingStaffButtons(h.w.as.admin, known));
    });

    it(`/support N for the client, ${state}`, async () => {
      await setUp();
      await h.command('UALICE', String(id), { command: '/support' });
      const blocks = h.fake.last('response_url').params.blocks as Json[];
      const reply = await works(h.w.as.alice, 'clientticket.edit', {
        elid: String(id),
        message: 'x',
        sok: 'ok',
      });
      expect(offered(blocks, ['client.reply'])).toEqual(reply ? ['client.reply'] : []);
    });

    it(`/support list for the client, ${state}`, async () => {
      await setUp();
      await h.command('UALICE', '', { command: '/support' });
      const blocks = h.fake.last('response_url').params.blocks as Json[];
      const expected: string[] = [];
      if (await works(h.w.as.alice, 'clientticket.edit', { elid: String(id) })) expected.push('client.open');
      if (await works(h.w.as.alice, 'clientticket.archive', { elid: String(id), sok: 'ok' }))
        expected.push('client.archive');
      // An archived ticket is not listed (clientticket leaves archived tickets out).
      expect(offered(blocks, ['client.open', 'client.archive'])).toEqual(
        state === 'archived' ? [] : expected.sort(),
      );
    });
  }

  it('the Messages modal of an archived ticket offers no Split (ticket.split refuses it)', async () => {
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'second', sok: 'ok' });
    await STATES.archived?.();
    const list = await h.w.run(h.w.as.admin, 'ticket.message', { elid: String(id) });
    const second = list.kind === 'list' ? String(list.rows.at(-1)?.id) : '';
    const split = await works(h.w.as.admin, 'ticket.split', { elid: second, plid: String(id), sok: 'ok' });
    await h.command('UADMIN', String(id));
    const blocks = h.fake.last('response_url').params.blocks as Json[];
    await h.click('UADMIN', blocks, 'card.messages', { channel: 'CSUPPORT', ts: '1.1' });
    const view = h.lastView();
    expect(JSON.stringify(view.blocks).includes('message.split')).toBe(split);
    expect(split).toBe(false);
  });
});
