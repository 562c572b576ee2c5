import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { exactly } from '../../db/rows.ts';
import { messageEdits } from '../../db/schema.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { footprint, form, list, messagesOf, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

const HOUR = 3_600_000;

/** Alice writes at 10:00, staff reply at 11:00, Alice writes at 12:00 and 13:00 (UTC). */
async function conversation() {
  const id = await w.openTicket();
  w.clock.advance(HOUR);
  await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Rebooted', sok: 'ok' });
  w.clock.advance(HOUR);
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Still down', sok: 'ok' });
  w.clock.advance(HOUR);
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Other issue: DNS', sok: 'ok' });
  const [first, reply, second, third] = exactly(
    (await messagesOf(db.db, id)).map((m) => m.id),
    4,
    'message',
  );
  return { id, first, reply, second, third };
}

describe('ticket.message', () => {
  it('lists every message for staff, notes and hidden ones marked; filters and pages', async () => {
    const { id, reply } = await conversation();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), note_message: 'check DNS', sok: 'ok' });
    await w.run(w.as.admin, 'ticket.message.delete', { elid: String(reply), plid: String(id), sok: 'ok' });
    const rows = list(await w.run(w.as.root, 'ticket.message', { elid: String(id) })).rows;
    expect(rows.map((r) => [r.message, r.type, r.note, r.hidden, r.message_user])).toEqual([
      ['My VPS does not boot', 'incoming', false, false, 'Alice Acme'],
      ['Rebooted', 'outcoming', false, true, 'Adam Admin'],
      ['Still down', 'incoming', false, false, 'Alice Acme'],
      ['Other issue: DNS', 'incoming', false, false, 'Alice Acme'],
      ['check DNS', 'outcoming', true, false, 'Adam Admin'],
    ]);
    const dns = list(
      await w.run(w.as.root, 'ticket.message', { elid: String(id), filter: 'on', message: 'dns' }),
    );
    expect(dns.rows.map((r) => r.message)).toEqual(['Other issue: DNS', 'check DNS']);
    // Dates filter as the API shows them (YYYY-MM-DD HH:MM:SS).
    const at11 = list(
      await w.run(w.as.root, 'ticket.message', {
        elid: String(id),
        filter: 'on',
        date_post: '2026-03-02 11:',
      }),
    );
    expect(at11.rows.map((r) => r.message)).toEqual(['Rebooted']);
    const page = list(
      await w.run(w.as.root, 'ticket.message', { elid: String(id), p_cnt: '2', p_num: '2', p_order: 'desc' }),
    );
    expect(page.page).toMatchObject({ num: 2, cnt: 2, elems: 5, sort: 'id', order: 'desc' });
    expect(page.rows.map((r) => r.message)).toEqual(['Still down', 'Rebooted']);
    await refused(w.run(w.as.root, 'ticket.message', {}), 'missed', 'elid');
    await refused(w.run(w.as.root, 'ticket.message', { elid: '404' }), 'missed', 'elid');
  });
});

describe('ticket.message.edit', () => {
  it('edits a message keeping the previous text; the form shows it', async () => {
    const { id, reply } = await conversation();
    const f = form(await w.run(w.as.root, 'ticket.message.edit', { plid: String(id), elid: String(reply) }));
    expect(f.fields).toMatchObject({ message: 'Rebooted' });
    ok(
      await w.run(w.as.root, 'ticket.message.edit', {
        plid: String(id),
        elid: String(reply),
        message: 'Rebooted the VPS',
        sok: 'ok',
      }),
    );
    const edits = await db.db.select().from(messageEdits).where(eq(messageEdits.messageId, reply));
    expect(edits.map((e) => [e.previousBody, e.editorId])).toEqual([['Rebooted', w.ids.root.id]]);
    const rows = list(await w.run(w.as.root, 'ticket.message', { elid: String(id) })).rows;
    expect(rows[1]).toMatchObject({ message: 'Rebooted the VPS', edited: true });
    const seen = form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) })).messages;
    expect(seen?.[1]).toMatchObject({ body: 'Rebooted the VPS', edited: true });
  });

  it('without elid adds a staff reply, which respects the lock', async () => {
    const { id } = await conversation();
    const r = ok(
      await w.run(w.as.root, 'ticket.message.edit', { plid: String(id), message: 'Looking', sok: 'ok' }),
    );
    expect((await messagesOf(db.db, id)).at(-1)).toMatchObject({
      id: r.id,
      body: 'Looking',
      fromStaff: true,
    });
    expect(await ticketRow(db.db, id)).toMatchObject({ status: 2, waitingSince: null });
    await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'and?', sok: 'ok' });
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    await refused(
      w.run(w.as.root, 'ticket.message.edit', { plid: String(id), message: 'x', sok: 'ok' }),
      'access',
      'message',
    );
  });

  it('bad and missing parameters', async () => {
    const { id, reply } = await conversation();
    const other = await w.openTicket();
    await refused(w.run(w.as.root, 'ticket.message.edit', { message: 'x', sok: 'ok' }), 'missed', 'plid');
    await refused(
      w.run(w.as.root, 'ticket.message.edit', { plid: '404', message: 'x', sok: 'ok' }),
      'missed',
      'plid',
    );
    await refused(
      w.run(w.as.root, 'ticket.message.edit', {
        plid: String(other),
        elid: String(reply),
        message: 'x',
        sok: 'ok',
      }),
      'missed',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.message.edit', { plid: String(id), elid: String(reply), sok: 'ok' }),
      'missed',
      'message',
    );
  });
});

describe('ticket.message.delete', () => {
  it('hides a message from the client but keeps it for staff', async () => {
    const { id, second } = await conversation();
    ok(
      await w.run(w.as.root, 'ticket.message.delete', { elid: String(second), plid: String(id), sok: 'ok' }),
    );
    const row = (await messagesOf(db.db, id)).find((m) => m.id === second);
    expect(row).toMatchObject({ hidden: true, body: 'Still down' });
    const seen = form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) })).messages;
    expect(seen?.map((m) => m.body)).toEqual(['My VPS does not boot', 'Rebooted', 'Other issue: DNS']);
  });

  it('hiding the only reply makes the client wait again, from the first unanswered message', async () => {
    const id = await w.openTicket();
    w.clock.advance(HOUR);
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Wrong customer!', sok: 'ok' });
    const reply = nth(await messagesOf(db.db, id), 1).id;
    ok(
      await w.run(w.as.admin, 'ticket.message.delete', { elid: String(reply), plid: String(id), sok: 'ok' }),
    );
    const t = await ticketRow(db.db, id);
    // Staff have seen it (they replied), so it waits under review, not as a new ticket.
    expect(t).toMatchObject({ status: 1 });
    expect(t.waitingSince?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(t.deadline?.toISOString()).toBe('2026-03-02T14:00:00.000Z');
  });

  it('refuses unknown messages and messages of several tickets', async () => {
    const { id, reply } = await conversation();
    const other = await w.openTicket();
    const otherMsg = firstOf(await messagesOf(db.db, other)).id;
    const before = await footprint(db.db);
    await refused(
      w.run(w.as.root, 'ticket.message.delete', {
        elid: `${reply},${otherMsg}`,
        plid: String(id),
        sok: 'ok',
      }),
      'missed',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.message.delete', { elid: '9999', plid: String(id), sok: 'ok' }),
      'missed',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.message.delete', { elid: String(otherMsg), plid: String(id), sok: 'ok' }),
      'missed',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.message.delete', { elid: String(reply), plid: String(id) }),
      'missed',
      'sok',
    );
    expect(await footprint(db.db)).toEqual(before);
  });
});

describe('ticket.split', () => {
  it('refuses to split at the first message', async () => {
    const { id, first } = await conversation();
    const before = await footprint(db.db);
    await refused(
      w.run(w.as.root, 'ticket.split', { elid: String(first), plid: String(id), sok: 'ok' }),
      'value',
      'elid',
    );
    expect(await footprint(db.db)).toEqual(before);
  });

  it('moves the selected message and later ones to a new ticket, recomputing both waits', async () => {
    const { id, first, reply, second, third } = await conversation();
    const r = ok(
      await w.run(w.as.root, 'ticket.split', { elid: String(second), plid: String(id), sok: 'ok' }),
    );
    const created = r.id as number;
    expect(r.tickets).toEqual([id, created]);
    expect((await messagesOf(db.db, id)).map((m) => m.id)).toEqual([first, reply]);
    expect((await messagesOf(db.db, created)).map((m) => m.id)).toEqual([second, third]);
    // The old ticket was answered; the new one waits since its first message (12:00Z = 13:00 Berlin).
    expect(await ticketRow(db.db, id)).toMatchObject({ status: 2, waitingSince: null, deadline: null });
    const t = await ticketRow(db.db, created);
    expect(t).toMatchObject({
      status: 0,
      splitFrom: id,
      clientId: w.ids.acme.id,
      name: 'Server down (split)',
    });
    expect(t.waitingSince?.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(t.deadline?.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    const mine = list(await w.run(w.as.alice, 'clientticket')).rows.map((row) => row.id);
    expect(mine.sort()).toEqual([id, created].sort());
  });

  it('splitting at the reply leaves the first question waiting in the old ticket', async () => {
    const { id, reply } = await conversation();
    ok(await w.run(w.as.root, 'ticket.split', { elid: String(reply), plid: String(id), sok: 'ok' }));
    const t = await ticketRow(db.db, id);
    expect(t).toMatchObject({ status: 0 });
    expect(t.waitingSince?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('a closed ticket splits into two closed tickets nobody waits on', async () => {
    const { id, second } = await conversation();
    await w.run(w.as.root, 'ticket.delete', { elid: String(id), sok: 'ok' });
    const created = ok(
      await w.run(w.as.root, 'ticket.split', { elid: String(second), plid: String(id), sok: 'ok' }),
    ).id as number;
    for (const t of [await ticketRow(db.db, id), await ticketRow(db.db, created)])
      expect(t).toMatchObject({ status: 3, waitingSince: null, deadline: null });
  });

  it('bad parameters', async () => {
    const { id, second, third } = await conversation();
    const other = await w.openTicket();
    await refused(
      w.run(w.as.root, 'ticket.split', { elid: `${second},${third}`, plid: String(id), sok: 'ok' }),
      'value',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.split', { elid: '9999', plid: String(id), sok: 'ok' }),
      'missed',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.split', { elid: String(second), plid: String(other), sok: 'ok' }),
      'missed',
      'elid',
    );
    await refused(
      w.run(w.as.root, 'ticket.split', { elid: String(second), plid: String(id) }),
      'missed',
      'sok',
    );
    expect((await messagesOf(db.db, id)).length).toBe(4);
  });
});
