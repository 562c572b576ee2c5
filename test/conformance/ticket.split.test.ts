import { expect } from 'vitest';
import { messagesOf, ticketRow } from '../functions/support.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { atSecondMessage, conversation, expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

walkSpec(api, 'ticket.split', {
  base: atSecondMessage(api),
  cases: {
    // elid is the message to split from; plid (ours, required) its ticket. A ticket id in elid, as the
    // spec's wording suggests, can never split anything else.
    elid: async (level) => {
      const c = await conversation(api);
      const other = await conversation(api);
      const before = (await messagesOf(db.db, Number(other.id))).length;
      await expectError(as(api, level).json('ticket.split', { elid: c.second, sok: 'ok' }), 'missed', 'plid');
      await expectError(
        as(api, level).json('ticket.split', { elid: other.id, plid: c.id, sok: 'ok' }),
        'missed',
        'elid',
      );
      await expectError(
        as(api, level).json('ticket.split', { elid: other.second, plid: c.id, sok: 'ok' }),
        'missed',
        'elid',
      );
      expect((await messagesOf(db.db, Number(other.id))).length).toBe(before);
      const done = await expectOk(
        as(api, level).json('ticket.split', { elid: c.second, plid: c.id, sok: 'ok' }),
      );
      const created = Number((done.id as { $: string }).$);
      expect((await messagesOf(db.db, created)).map((m) => String(m.id))).toEqual([c.second, c.third]);
      expect((await ticketRow(db.db, created)).splitFrom).toBe(Number(c.id));
    },
    sok: async (level) => {
      const c = await conversation(api);
      await expectError(as(api, level).json('ticket.split', { elid: c.second, plid: c.id }), 'missed', 'sok');
      expect((await messagesOf(db.db, Number(c.id))).length).toBe(4);
    },
  },
});
