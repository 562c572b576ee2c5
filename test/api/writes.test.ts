import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, clients, messages, tickets } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { t, useApi } from '../helpers/api.ts';
import { firstOf, nth, one } from '../helpers/rows.ts';

const { db, api } = useApi();

const OK_JSON = { ok: {} };
const OK_XML = { ok: { $: '' } };
const rows = (doc: DocNode) => doc.elem as DocNode[];
const ticketRow = async (id: number) => one(await db.db.select().from(tickets).where(eq(tickets.id, id)));

describe('staff writes (each in json and in xml)', () => {
  it('ticket.edit with sok and no elid opens a ticket for a client and returns its id', async () => {
    const params = {
      client: String(api.w.ids.acme.id),
      name: 'Planned maintenance',
      message: 'We will reboot your VPS tonight',
      client_department: String(api.w.ids.support.id),
      sok: 'ok',
    };
    const json = await api.as('admin').json('ticket.edit', params);
    expect(Object.keys(json)).toEqual(['ok', 'id']);
    const xml = await api.as('admin').xml('ticket.edit', { ...params, name: 'Second' });
    expect(xml.ok).toEqual({ $: '' });
    expect((await ticketRow(Number(t(json.id)))).name).toBe('Planned maintenance');
    expect((await ticketRow(Number(t(xml.id)))).name).toBe('Second');
  });

  it('ticket.edit with sok replies and raises priority; the audit log names the API login', async () => {
    const a = await api.w.openTicket();
    const b = await api.w.openTicket();
    expect(
      await api
        .as('admin')
        .json('ticket.edit', { elid: String(a), plid: String(a), message: 'On it', sok: 'ok' }),
    ).toEqual(OK_JSON);
    expect(
      await api.as('admin').xml('ticket.edit', { elid: String(b), high_priority: 'on', sok: 'ok' }),
    ).toEqual(OK_XML);
    expect((await ticketRow(a)).status).toBe(2);
    expect((await ticketRow(b)).highPriority).toBe(true);
    const queue = await api.as('admin').json('ticket');
    expect(rows(queue).find((r) => t(r.id) === String(b))?.highpriority).toEqual({ $: 'on' });
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.func, 'ticket.edit'));
    expect(audit.map((r) => [r.actor, r.via, r.ticketId])).toEqual([
      ['admin', 'api', a],
      ['admin', 'api', b],
    ]);
    expect(JSON.stringify(audit.map((r) => r.params))).not.toContain(api.sids.admin);
  });

  it('ticket.delete closes a group given as "1, 2" (json) or "1,2" (xml)', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await api.w.openTicket());
    expect(await api.as('admin').json('ticket.delete', { elid: `${ids[0]}, ${ids[1]}`, sok: 'ok' })).toEqual(
      OK_JSON,
    );
    expect(await api.as('admin').xml('ticket.delete', { elid: `${ids[2]},${ids[3]}`, sok: 'ok' })).toEqual(
      OK_XML,
    );
    for (const id of ids) expect((await ticketRow(id)).status).toBe(3);
  });

  it('ticket.unblock releases the lock taken by opening the ticket', async () => {
    const a = await api.w.openTicket();
    const b = await api.w.openTicket();
    await api.as('root').json('ticket.edit', { elid: String(a) });
    await api.as('root').json('ticket.edit', { elid: String(b) });
    expect((await ticketRow(a)).lockedBy).not.toBeNull();
    expect(await api.as('admin').json('ticket.unblock', { elid: String(a), sok: 'ok' })).toEqual(OK_JSON);
    expect(await api.as('admin').xml('ticket.unblock', { elid: String(b), sok: 'ok' })).toEqual(OK_XML);
    expect((await ticketRow(a)).lockedBy).toBeNull();
    expect((await ticketRow(b)).lockedBy).toBeNull();
  });

  it('ticket.favorite marks tickets for the caller only', async () => {
    const a = await api.w.openTicket();
    const b = await api.w.openTicket();
    expect(await api.as('admin').json('ticket.favorite', { elid: String(a), sok: 'ok' })).toEqual(OK_JSON);
    expect(await api.as('admin').xml('ticket.favorite', { elid: String(b), sok: 'ok' })).toEqual(OK_XML);
    const mine = rows(await api.as('admin').json('ticket'));
    expect(mine.map((r) => t(r.favorite))).toEqual(['on', 'on']);
    const roots = rows(await api.as('root').json('ticket'));
    expect(roots.map((r) => r.favorite)).toEqual([undefined, undefined]);
  });

  it('ticket.message.edit adds a reply (returning the message id) and edits a message', async () => {
    const id = await api.w.openTicket();
    const added = await api
      .as('admin')
      .json('ticket.message.edit', { plid: String(id), message: 'Hello', sok: 'ok' });
    const messageId = Number(t(added.id));
    const row = firstOf(await db.db.select().from(messages).where(eq(messages.id, messageId)));
    expect(row.body).toBe('Hello');
    const edited = await api.as('admin').xml('ticket.message.edit', {
      plid: String(id),
      elid: String(messageId),
      message: 'Hello <b>& welcome</b>',
      sok: 'ok',
    });
    expect(edited).toEqual(OK_XML);
    const list = await api.as('admin').xml('ticket.message', { elid: String(id) });
    expect(rows(list).map((r) => [t(r.message), t(r.edited)])).toEqual([
      ['My VPS does not boot', undefined],
      ['Hello <b>& welcome</b>', 'on'],
    ]);
  });

  it('ticket.split moves messages to a new ticket; ticket.message.delete hides one from the client', async () => {
    const id = await api.w.openTicket();
    await api.w.run(api.w.as.alice, 'clientticket.edit', {
      elid: String(id),
      message: 'Also: DNS',
      sok: 'ok',
    });
    await api.w.run(api.w.as.alice, 'clientticket.edit', {
      elid: String(id),
      message: 'And mail',
      sok: 'ok',
    });
    await api.w.run(api.w.as.alice, 'clientticket.edit', {
      elid: String(id),
      message: 'And billing',
      sok: 'ok',
    });
    const list = rows(await api.as('admin').json('ticket.message', { elid: String(id) }));
    const split = await api
      .as('admin')
      .json('ticket.split', { elid: t(nth(list, 1).id) as string, plid: String(id), sok: 'ok' });
    const created = Number(t(split.id));
    expect(created).toBeGreaterThan(id);
    const billing = nth(rows(await api.as('admin').json('ticket.message', { elid: String(created) })), 2);
    const splitXml = await api
      .as('admin')
      .xml('ticket.split', { elid: t(billing.id) as string, plid: String(created), sok: 'ok' });
    expect(splitXml.ok).toEqual({ $: '' });
    const third = rows(await api.as('admin').json('ticket.message', { elid: t(splitXml.id) as string }));
    expect(third.map((r) => t(r.message))).toEqual(['And billing']);
    const moved = rows(await api.as('admin').xml('ticket.message', { elid: String(created) }));
    expect(moved.map((r) => t(r.message))).toEqual(['Also: DNS', 'And mail']);

    expect(
      await api.as('admin').xml('ticket.message.delete', {
        elid: t(nth(moved, 1).id) as string,
        plid: String(created),
        sok: 'ok',
      }),
    ).toEqual(OK_XML);
    expect(
      await api
        .as('admin')
        .json('ticket.message.delete', { elid: t(firstOf(list).id) as string, plid: String(id), sok: 'ok' }),
    ).toEqual(OK_JSON);
    const seen = await api.as('alice').json('clientticket.edit', { elid: String(created) });
    expect(((seen.mlist as DocNode).message as DocNode[]).map((m) => t(m.message))).toEqual(['Also: DNS']);
    const staffView = rows(await api.as('admin').json('ticket.message', { elid: String(created) }));
    expect(nth(staffView, 1).hidden).toEqual({ $: 'on' });
  });

  it('ticket.su returns a session of the ticket client; its writes are audited as "admin as alice"', async () => {
    const id = await api.w.openTicket();
    const json = await api.as('admin').json('ticket.su', { elid: String(id) });
    expect(json.ok).toEqual({});
    const auth = json.auth as DocNode;
    expect(auth.$id).toBe(auth.$);
    const xml = await api.as('admin').xml('ticket.su', { elid: String(id) });
    expect((xml.auth as DocNode).$id).toMatch(/^[0-9a-f]{48}$/);
    const sid = auth.$ as string;
    const list = await api.json({ func: 'clientticket', auth: sid });
    expect(rows(list).map((r) => t(r.id))).toEqual([String(id)]);
    await api.json({
      func: 'clientticket.edit',
      auth: sid,
      elid: String(id),
      message: 'as the client',
      sok: 'ok',
    });
    const last = firstOf(await db.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1));
    expect([last.actor, last.func, last.via]).toEqual(['admin as alice', 'clientticket.edit', 'api']);
    // The su session acts with the client's rights: staff functions are refused.
    expect((await api.json({ func: 'ticket', auth: sid })).error).toMatchObject({ $type: 'access' });
  });
});

describe('client writes (each in json and in xml)', () => {
  it('clientticket.edit opens tickets (returning ids) and replies', async () => {
    const params = {
      name: 'Mail down',
      message: 'No mail since 9',
      client_department: String(api.w.ids.support.id),
      sok: 'ok',
    };
    const json = await api.as('alice').json('clientticket.edit', params);
    const xml = await api.as('alice').xml('clientticket.edit', { ...params, name: 'Web down' });
    const a = Number(t(json.id));
    const b = Number(t(xml.id));
    expect((await ticketRow(a)).name).toBe('Mail down');
    expect((await ticketRow(b)).name).toBe('Web down');
    expect(
      await api.as('alice').json('clientticket.edit', { elid: String(a), message: 'Still down', sok: 'ok' }),
    ).toEqual(OK_JSON);
    expect(
      await api.as('alice').xml('clientticket.edit', { elid: String(b), message: 'Still down', sok: 'ok' }),
    ).toEqual(OK_XML);
    const count = await db.db.select().from(messages).where(eq(messages.ticketId, a));
    expect(count).toHaveLength(2);
  });

  it('clientticket.archive archives closed tickets', async () => {
    const a = await api.w.openTicket();
    const b = await api.w.openTicket();
    await api.w.run(api.w.as.admin, 'ticket.delete', { elid: `${a}, ${b}`, sok: 'ok' });
    expect(await api.as('alice').json('clientticket.archive', { elid: String(a), sok: 'ok' })).toEqual(
      OK_JSON,
    );
    expect(await api.as('alice').xml('clientticket.archive', { elid: String(b), sok: 'ok' })).toEqual(OK_XML);
    expect((await ticketRow(a)).status).toBe(10);
    expect((await ticketRow(b)).status).toBe(10);
  });

  it('incident buys paid support tickets from the balance and returns the purchase id', async () => {
    const json = await api.as('alice').json('incident', { count: '2', sok: 'ok' });
    expect(json.ok).toEqual({});
    expect(t(json.id)).toMatch(/^\d+$/);
    const xml = await api.as('alice').xml('incident', { count: '1', sok: 'ok' });
    expect(t(xml.id)).toMatch(/^\d+$/);
    const acme = firstOf(await db.db.select().from(clients).where(eq(clients.id, api.w.ids.acme.id)));
    expect([acme.incidents, acme.balance]).toEqual([3, '55.00']);
  });
});
