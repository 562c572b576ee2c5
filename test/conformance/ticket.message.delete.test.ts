import { expect } from 'vitest';
import { messagesOf } from '../functions/support.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { atSecondMessage, conversation, expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

const hidden = async (ticket: string) =>
  (await messagesOf(db.db, Number(ticket))).filter((m) => m.hidden).map((m) => String(m.id));

walkSpec(api, 'ticket.message.delete', {
  base: atSecondMessage(api),
  cases: {
    // elid: messages of ticket plid (required); a ticket id or another ticket's message hides nothing.
    elid: async (level) => {
      const c = await conversation(api);
      const other = await conversation(api);
      await expectError(
        as(api, level).json('ticket.message.delete', { elid: c.second, sok: 'ok' }),
        'missed',
        'plid',
      );
      await expectError(
        as(api, level).json('ticket.message.delete', {
          elid: `${c.second}, ${other.first}`,
          plid: c.id,
          sok: 'ok',
        }),
        'missed',
        'elid',
      );
      await expectError(
        as(api, level).json('ticket.message.delete', { elid: other.id, plid: c.id, sok: 'ok' }),
        'missed',
        'elid',
      );
      expect([...(await hidden(c.id)), ...(await hidden(other.id))]).toEqual([]);
      await expectOk(
        as(api, level).json('ticket.message.delete', {
          elid: `${c.second}, ${c.third}`,
          plid: c.id,
          sok: 'ok',
        }),
      );
      expect(await hidden(c.id)).toEqual([c.second, c.third]);
      // Hiding a hidden message again is done, not an error.
      await expectOk(as(api, level).json('ticket.message.delete', { elid: c.second, plid: c.id, sok: 'ok' }));
    },
    sok: async (level) => {
      const c = await conversation(api);
      await expectError(
        as(api, level).json('ticket.message.delete', { elid: c.second, plid: c.id }),
        'missed',
        'sok',
      );
      expect(await hidden(c.id)).toEqual([]);
    },
  },
});
