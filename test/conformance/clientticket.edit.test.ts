import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { violations } from '../../db/schema.ts';
import { clientRow, messagesOf, ticketRow } from '../functions/support.ts';
import { t, useApi } from '../helpers/api.ts';
import { firstOf } from '../helpers/rows.ts';
import { as, formFields } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

const open = async () => String(await api.w.openTicket());
const write = (params: Record<string, string>) =>
  as(api, 'user').json('clientticket.edit', { ...params, sok: 'ok' });
/** The same call by an admin acting as Alice for this one call (`su=alice`). */
const asAdminForAlice = (params: Record<string, string>) =>
  as(api, 'admin').json('clientticket.edit', { ...params, su: 'alice', sok: 'ok' });

/**
 * A staff-only parameter: from the client refused when it would change something, accepted from an
 * admin acting as the client.
 */
function staffOnly(param: string, value: string, applied: (elid: string) => Promise<void>) {
  return async () => {
    const elid = await open();
    await expectError(write({ elid, [param]: value }), 'access', param);
    await expectOk(
      asAdminForAlice({
        elid,
        // A violation needs show_abuse and a score besides the parameter under test.
        ...(['show_abuse', 'score', 'score_note', 'action'].includes(param)
          ? { show_abuse: 'on', score: '2' }
          : {}),
        [param]: value,
      }),
    );
    await applied(elid);
  };
}

walkSpec(api, 'clientticket.edit', {
  base: async () => ({ elid: await open(), message: 'More', sok: 'ok' }),
  absent: {
    // Required in the table, yet the function "creates a new ticket": without elid it opens one.
    elid: async () => {
      const made = await expectOk(write({ subject: 'Published client', message: 'Hi' }));
      expect((await ticketRow(db.db, Number(t(made.id)))).name).toBe('Published client');
    },
  },
  cases: {
    elid: async () => {
      const elid = await open();
      await expectOk(write({ elid, message: 'More' }));
      expect((await messagesOf(db.db, Number(elid))).at(-1)?.body).toBe('More');
      // Another client's ticket is refused.
      const made = await api.w.run(api.w.as.root, 'ticket.edit', {
        client: String(api.w.ids.globex.id),
        name: 'b',
        message: 'b',
        sok: 'ok',
      });
      const globex = String(made.kind === 'ok' ? made.id : '');
      await expectError(write({ elid: globex, message: 'x' }), 'access', 'elid');
    },
    name: async () => {
      const elid = await open();
      await expectOk(write({ elid, name: 'Renamed' }));
      expect((await ticketRow(db.db, Number(elid))).name).toBe('Renamed');
      await expectOk(write({ elid, subject: 'By subject' }));
      expect((await ticketRow(db.db, Number(elid))).name).toBe('By subject');
    },
    ticket_item: async () => {
      const elid = await open();
      await expectOk(write({ elid, ticket_item: String(api.w.ids.server.id) }));
      expect((await ticketRow(db.db, Number(elid))).serviceId).toBe(api.w.ids.server.id);
      await expectError(write({ elid, ticket_item: '999' }), 'missed', 'ticket_item');
    },
    item: async () => {
      const made = await expectOk(write({ name: 'n', message: 'm', item: String(api.w.ids.server.id) }));
      expect((await ticketRow(db.db, Number(t(made.id)))).serviceId).toBe(api.w.ids.server.id);
    },
    ticket_project_select: async () => {
      const elid = await open();
      await expectOk(write({ elid, ticket_project_select: String(api.w.ids.provider.id) }));
      await expectError(write({ elid, ticket_project_select: '99' }), 'missed', 'ticket_project_select');
      await expectError(
        write({ name: 'n', message: 'm', ticket_project_select: String(api.w.ids.other.id) }),
        'value',
        'ticket_project_select',
      );
    },
    client_department: async () => {
      // Without it, the provider's default department for client tickets: its first free one.
      const made = await expectOk(write({ name: 'n', message: 'm' }));
      expect((await ticketRow(db.db, Number(t(made.id)))).departmentId).toBe(api.w.ids.support.id);
      const elid = t(made.id) as string;
      await expectOk(write({ elid, client_department: String(api.w.ids.support.id), message: 'same' }));
      await expectError(
        write({ elid, client_department: String(api.w.ids.paid.id) }),
        'value',
        'client_department',
      );
    },
    client_priority: async () => {
      const elid = await open();
      await expectOk(write({ elid, client_priority: '2' }));
      expect((await ticketRow(db.db, Number(elid))).clientPriority).toBe(2);
    },
    priority: async () => {
      const elid = await open();
      await expectOk(write({ elid, priority: '0' }));
      expect((await ticketRow(db.db, Number(elid))).clientPriority).toBe(0);
    },
    message: async () => {
      const elid = await open();
      await expectOk(write({ elid, message: '*Markdown*' }));
      expect((await messagesOf(db.db, Number(elid))).at(-1)).toMatchObject({
        body: '*Markdown*',
        fromStaff: false,
      });
    },
    show_optional: async () => {
      const elid = await open();
      const plain = await expectOk(as(api, 'user').json('clientticket.edit', { elid }));
      expect(t(plain.show_optional)).toBe('off');
      const more = await expectOk(as(api, 'user').json('clientticket.edit', { elid, show_optional: 'on' }));
      expect(t(more.show_optional)).toBe('on');
    },
    note_message: staffOnly('note_message', 'psst', async (elid) => {
      expect((await messagesOf(db.db, Number(elid))).at(-1)).toMatchObject({
        body: 'psst',
        internal: true,
        authorId: api.w.ids.admin.id,
      });
    }),
    ticket_expense: staffOnly('ticket_expense', '1', async (elid) => {
      const seen = await as(api, 'user').json('clientticket.edit', { elid });
      expect(t(seen.expense_total)).toBe('1.00');
    }),
    high_priority: staffOnly('high_priority', 'on', async (elid) => {
      expect((await ticketRow(db.db, Number(elid))).highPriority).toBe(true);
      // The form's own value (off) is no change and is accepted from the client.
      await expectOk(write({ elid: await open(), high_priority: 'off' }));
    }),
    low_priority: staffOnly('low_priority', 'on', async (elid) => {
      expect((await ticketRow(db.db, Number(elid))).highPriority).toBe(false);
    }),
    incident_count: staffOnly('incident_count', '7', async () => {
      expect((await clientRow(db.db, api.w.ids.acme.id)).incidents).toBe(7);
      await expectOk(write({ elid: await open(), incident_count: '7' }));
    }),
    show_abuse: staffOnly('show_abuse', 'on', async (elid) => {
      expect(
        await db.db
          .select()
          .from(violations)
          .where(eq(violations.ticketId, Number(elid))),
      ).toHaveLength(1);
    }),
    score: staffOnly('score', '2', async (elid) => {
      expect(
        firstOf(
          await db.db
            .select()
            .from(violations)
            .where(eq(violations.ticketId, Number(elid))),
        ).score,
      ).toBe(2);
    }),
    score_note: staffOnly('score_note', 'noted', async (elid) => {
      expect(
        firstOf(
          await db.db
            .select()
            .from(violations)
            .where(eq(violations.ticketId, Number(elid))),
        ).note,
      ).toBe('noted');
    }),
    action: staffOnly('action', 'warn', async (elid) => {
      expect((await messagesOf(db.db, Number(elid))).at(-1)).toMatchObject({
        fromStaff: true,
        internal: false,
      });
    }),
    deadline_date: staffOnly('deadline_date', '2026-03-20', async (elid) => {
      expect((await ticketRow(db.db, Number(elid))).deadlineManual).toBe(true);
    }),
    deadline_time: staffOnly('deadline_time', '08:00:00', async (elid) => {
      expect((await ticketRow(db.db, Number(elid))).deadlineManual).toBe(true);
    }),
    sok: async () => {
      const elid = await open();
      await expectOk(as(api, 'user').json('clientticket.edit', { elid, message: 'not sent' }));
      expect((await messagesOf(db.db, Number(elid))).map((m) => m.body)).not.toContain('not sent');
    },
  },
});

it.each(['json', 'xml'] as const)(
  'the client’s forms posted back unchanged (%s) are accepted',
  async (out) => {
    const elid = await open();
    const form = await as(api, 'user')[out]('clientticket.edit', { elid });
    const before = await ticketRow(db.db, Number(elid));
    await expectOk(as(api, 'user')[out]('clientticket.edit', { ...formFields(form), sok: 'ok' }));
    expect(await ticketRow(db.db, Number(elid))).toEqual(before);
    // The new-ticket form (with the client's incident_count) plus a subject and a message opens a ticket.
    const blank = formFields(await as(api, 'user')[out]('clientticket.edit', {}));
    expect(blank.incident_count).toBeDefined();
    const made = await expectOk(
      as(api, 'user')[out]('clientticket.edit', { ...blank, name: 'Round trip', message: 'Hi', sok: 'ok' }),
    );
    expect((await ticketRow(db.db, Number(t(made.id)))).name).toBe('Round trip');
  },
);
