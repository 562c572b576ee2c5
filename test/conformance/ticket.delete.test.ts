import { expect } from 'vitest';
import { ticketRow } from '../functions/support.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

const open = async () => String(await api.w.openTicket());
const status = async (id: string) => (await ticketRow(db.db, Number(id))).status;

walkSpec(api, 'ticket.delete', {
  base: async () => ({ elid: await open(), sok: 'ok' }),
  cases: {
    // A list, "123, 456" or "123,456"; one already closed counts as done; an unknown one closes none.
    elid: async (level) => {
      const [a, b, c] = [await open(), await open(), await open()];
      await expectError(
        as(api, level).json('ticket.delete', { elid: `${a},999999`, sok: 'ok' }),
        'missed',
        'elid',
      );
      expect(await status(a)).toBe(0);
      await expectOk(as(api, level).json('ticket.delete', { elid: `${a}, ${b}`, sok: 'ok' }));
      await expectOk(as(api, level).json('ticket.delete', { elid: `${b},${c}`, sok: 'ok' }));
      expect([await status(a), await status(b), await status(c)]).toEqual([3, 3, 3]);
    },
    sok: async (level) => {
      const a = await open();
      await expectOk(as(api, level).json('ticket.delete', { elid: a, sok: 'yes' }));
      expect(await status(a)).toBe(3);
    },
  },
});
