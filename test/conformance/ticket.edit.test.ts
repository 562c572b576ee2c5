import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { clients, expenses, messages, users, violations } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { clientRow, messagesOf, ticketRow } from '../functions/support.ts';
import { t, useApi } from '../helpers/api.ts';
import { firstOf } from '../helpers/rows.ts';
import { as, formFields, type Level } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

const open = async () => String(await api.w.openTicket());
const edit = (level: Level, params: Record<string, string>) =>
  as(api, level).json('ticket.edit', { ...params, sok: 'ok' });
const slist = (doc: DocNode, name: string) => (doc.slist as DocNode[]).find((s) => s.$name === name);

walkSpec(api, 'ticket.edit', {
  base: async () => ({ elid: await open(), sok: 'ok' }),
  cases: {
    elid: async (level) => {
      const elid = await open();
      const form = await expectOk(as(api, level).json('ticket.edit', { elid }));
      expect(t(form.id)).toBe(elid);
      // Without elid a submit creates a ticket (for a client) with the new id.
      const made = await expectOk(
        edit(level, { client: String(api.w.ids.acme.id), name: 'From staff', message: 'Hello' }),
      );
      expect((await ticketRow(db.db, Number(t(made.id)))).name).toBe('From staff');
    },
    plid: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, plid: elid, name: 'Both' }));
      await expectError(edit(level, { elid, plid: await open(), name: 'x' }), 'value', 'plid');
      expect((await ticketRow(db.db, Number(elid))).name).toBe('Both');
    },
    name: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, name: 'Renamed' }));
      expect((await ticketRow(db.db, Number(elid))).name).toBe('Renamed');
      // Published clients send the subject as `subject`.
      await expectOk(edit(level, { elid, subject: 'By subject' }));
      expect((await ticketRow(db.db, Number(elid))).name).toBe('By subject');
      await expectError(edit(level, { elid, name: 'a', subject: 'b' }), 'value', 'subject');
    },
    message: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, message: 'Answer' }));
      expect(await ticketRow(db.db, Number(elid))).toMatchObject({ status: 2, waitingSince: null });
      const seen = await as(api, 'user').json('clientticket.edit', { elid });
      expect(((seen.mlist as DocNode).message as DocNode[]).map((m) => t(m.message))).toContain('Answer');
    },
    ticket_item: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, ticket_item: String(api.w.ids.server.id) }));
      expect((await ticketRow(db.db, Number(elid))).serviceId).toBe(api.w.ids.server.id);
      await expectError(edit(level, { elid, ticket_item: '999' }), 'missed', 'ticket_item');
    },
    ticket_project_select: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, ticket_project_select: String(api.w.ids.provider.id) }));
      await expectError(
        edit(level, { elid, ticket_project_select: '99' }),
        'missed',
        'ticket_project_select',
      );
      await expectError(
        edit(level, { elid, ticket_project_select: String(api.w.ids.other.id) }),
        'value',
        'ticket_project_select',
      );
    },
    client_department: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, client_department: String(api.w.ids.paid.id) }));
      expect((await ticketRow(db.db, Number(elid))).departmentId).toBe(api.w.ids.paid.id);
      await expectError(
        edit(level, { elid, client_department: String(api.w.ids.foreign.id) }),
        'value',
        'client_department',
      );
      // Optional on create: the provider's default department for client tickets (first free one).
      const made = await expectOk(
        edit(level, { client: String(api.w.ids.acme.id), name: 'No department', message: 'Hi' }),
      );
      expect((await ticketRow(db.db, Number(t(made.id)))).departmentId).toBe(api.w.ids.support.id);
    },
    priority: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, priority: '2' }));
      expect((await ticketRow(db.db, Number(elid))).priority).toBe(2);
      await expectError(edit(level, { elid, priority: '5' }), 'value', 'priority');
    },
    client_priority: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, client_priority: '0' }));
      expect((await ticketRow(db.db, Number(elid))).clientPriority).toBe(0);
    },
    show_optional: async (level) => {
      const elid = await open();
      const plain = await expectOk(as(api, level).json('ticket.edit', { elid }));
      expect(t(plain.show_optional)).toBe('off');
      expect(plain.ticket_expense).toBeUndefined();
      const more = await expectOk(as(api, level).json('ticket.edit', { elid, show_optional: 'on' }));
      expect(t(more.show_optional)).toBe('on');
      expect(Object.keys(more)).toEqual(expect.arrayContaining(['note_message', 'ticket_expense']));
    },
    note_message: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, note_message: 'Between us' }));
      expect((await messagesOf(db.db, Number(elid))).at(-1)).toMatchObject({
        body: 'Between us',
        internal: true,
      });
      expect(await ticketRow(db.db, Number(elid))).toMatchObject({ status: 0 });
    },
    ticket_expense: async (level) => {
      const elid = await open();
      const before = Number((await clientRow(db.db, api.w.ids.acme.id)).balance);
      await expectOk(edit(level, { elid, ticket_expense: String(before + 10) }));
      expect((await clientRow(db.db, api.w.ids.acme.id)).balance).toBe('-10.00');
      const seen = await as(api, 'user').json('clientticket.edit', { elid });
      expect(t(seen.expense_total)).toBe((before + 10).toFixed(2));
      await db.db
        .update(clients)
        .set({ balance: String(before) })
        .where(eq(clients.id, api.w.ids.acme.id));
      await expectError(edit(level, { elid, ticket_expense: '-5' }), 'value', 'ticket_expense');
    },
    high_priority: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, high_priority: 'off' }));
      expect((await ticketRow(db.db, Number(elid))).highPriority).toBe(false);
      await expectOk(edit(level, { elid, high_priority: 'on' }));
      expect((await ticketRow(db.db, Number(elid))).highPriority).toBe(true);
    },
    low_priority: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, high_priority: 'on' }));
      await expectOk(edit(level, { elid, low_priority: 'on' }));
      expect((await ticketRow(db.db, Number(elid))).highPriority).toBe(false);
      await expectError(
        edit(level, { elid, high_priority: 'on', low_priority: 'on' }),
        'value',
        'low_priority',
      );
    },
    incident_count: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, incident_count: '4' }));
      expect((await clientRow(db.db, api.w.ids.acme.id)).incidents).toBe(4);
    },
    show_abuse: async (level) => {
      const elid = await open();
      const form = await expectOk(as(api, level).json('ticket.edit', { elid, show_abuse: 'on' }));
      expect(Object.keys(form)).toEqual(expect.arrayContaining(['score', 'score_note', 'action']));
      expect(((slist(form, 'action')?.val ?? []) as DocNode[]).map((v) => v.$key)).toEqual([
        'none',
        'warn',
        'block',
      ]);
      await expectError(edit(level, { elid, score: '3' }), 'value', 'show_abuse');
    },
    score: async (level) => {
      const elid = await open();
      const before = (await clientRow(db.db, api.w.ids.acme.id)).abuseScore;
      await expectOk(edit(level, { elid, show_abuse: 'on', score: '3' }));
      expect((await clientRow(db.db, api.w.ids.acme.id)).abuseScore).toBe(before + 3);
      await expectError(edit(level, { elid, show_abuse: 'on', score_note: 'x' }), 'missed', 'score');
    },
    score_note: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, show_abuse: 'on', score: '1', score_note: 'Spam' }));
      const [v] = await db.db
        .select()
        .from(violations)
        .where(eq(violations.ticketId, Number(elid)));
      expect(v).toMatchObject({ note: 'Spam', action: 'none', score: 1 });
    },
    // Every action has an effect: none records, warn tells the client in the ticket, block disables
    // the client's logins.
    action: async (level) => {
      const elid = await open();
      await expectOk(
        edit(level, { elid, show_abuse: 'on', score: '1', score_note: 'No spam', action: 'warn' }),
      );
      const last = (await messagesOf(db.db, Number(elid))).at(-1);
      expect(last).toMatchObject({ fromStaff: true, internal: false });
      expect(last?.body).toContain('No spam');
      await expectError(
        edit(level, { elid, show_abuse: 'on', score: '1', action: 'suspend' }),
        'value',
        'action',
      );
      const rogue = firstOf(
        await db.db
          .insert(clients)
          .values({ name: `Rogue ${level}`, providerId: api.w.ids.provider.id })
          .returning(),
      );
      const user = firstOf(
        await db.db
          .insert(users)
          .values({ login: `rogue-${level}`, name: 'Rogue', level: 'user', clientId: rogue.id })
          .returning(),
      );
      const made = await expectOk(edit(level, { client: String(rogue.id), name: 'Abuse', message: 'Stop' }));
      await expectOk(
        edit(level, { elid: t(made.id) as string, show_abuse: 'on', score: '9', action: 'block' }),
      );
      expect(firstOf(await db.db.select().from(users).where(eq(users.id, user.id))).disabled).toBe(true);
    },
    deadline_date: async (level) => {
      const elid = await open();
      await expectOk(edit(level, { elid, deadline_date: '2026-03-10' }));
      expect(await ticketRow(db.db, Number(elid))).toMatchObject({ deadlineManual: true });
      await expectError(edit(level, { elid, deadline_date: '10.03.2026' }), 'value', 'deadline_date');
    },
    deadline_time: async (level) => {
      const elid = await open();
      // A time alone keeps the date of the current deadline.
      const before = (await ticketRow(db.db, Number(elid))).deadline as Date;
      await expectOk(edit(level, { elid, deadline_time: '23:30:00' }));
      const after = (await ticketRow(db.db, Number(elid))).deadline as Date;
      expect(after.getTime()).toBeGreaterThan(before.getTime());
      expect(after.getTime() - before.getTime()).toBeLessThan(24 * 3_600_000);
    },
    sok: async (level) => {
      const elid = await open();
      const form = await expectOk(as(api, level).json('ticket.edit', { elid, name: 'Not applied' }));
      expect(t(form.name)).toBe('Server down');
      expect((await ticketRow(db.db, Number(elid))).name).toBe('Server down');
    },
  },
});

it.each(['json', 'xml'] as const)(
  'the staff form posted back unchanged (%s) is accepted and changes nothing',
  async (out) => {
    const elid = await open();
    await edit('admin', { elid, high_priority: 'on', ticket_item: String(api.w.ids.server.id) });
    const form = await as(api, 'admin')[out]('ticket.edit', { elid });
    const before = {
      ticket: await ticketRow(db.db, Number(elid)),
      client: await clientRow(db.db, api.w.ids.acme.id),
    };
    expect(before.ticket.deadlineManual).toBe(false);
    await expectOk(as(api, 'admin')[out]('ticket.edit', { ...formFields(form), sok: 'ok' }));
    expect(await ticketRow(db.db, Number(elid))).toEqual(before.ticket);
    expect(await clientRow(db.db, api.w.ids.acme.id)).toEqual(before.client);
    expect(
      await db.db
        .select()
        .from(expenses)
        .where(eq(expenses.ticketId, Number(elid))),
    ).toEqual([]);
    expect(
      (
        await db.db
          .select()
          .from(messages)
          .where(eq(messages.ticketId, Number(elid)))
      ).length,
    ).toBe(1);
    // The deadline stays computed: dropping the raised priority still moves it.
    await expectOk(edit('admin', { elid, low_priority: 'on' }));
    expect((await ticketRow(db.db, Number(elid))).deadline).not.toEqual(before.ticket.deadline);
  },
);

it('a ticket cannot change its client through the form’s client field', async () => {
  const elid = await open();
  await expectOk(edit('admin', { elid, client: 'ACME Ltd' }));
  await expectOk(edit('admin', { elid, client: String(api.w.ids.acme.id) }));
  await expectError(edit('admin', { elid, client: 'Globex' }), 'value', 'client');
});
