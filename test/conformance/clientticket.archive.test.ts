import { expect } from 'vitest';
import { ticketRow } from '../functions/support.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

async function closed() {
  const id = await api.w.openTicket();
  await api.w.run(api.w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
  return String(id);
}
const status = async (id: string) => (await ticketRow(db.db, Number(id))).status;

walkSpec(api, 'clientticket.archive', {
  base: async () => ({ elid: await closed(), sok: 'ok' }),
  cases: {
    // Several at once; one already archived is done; an open one refuses the whole call.
    elid: async (level) => {
      const [a, b, open] = [await closed(), await closed(), String(await api.w.openTicket())];
      await expectError(
        as(api, level).json('clientticket.archive', { elid: `${a},${open}`, sok: 'ok' }),
        'value',
        'elid',
      );
      expect(await status(a)).toBe(3);
      await expectOk(as(api, level).json('clientticket.archive', { elid: a, sok: 'ok' }));
      await expectOk(as(api, level).json('clientticket.archive', { elid: `${a}, ${b}`, sok: 'ok' }));
      expect([await status(a), await status(b)]).toEqual([10, 10]);
    },
    sok: async (level) => {
      const a = await closed();
      await expectOk(as(api, level).json('clientticket.archive', { elid: a, sok: 'ok' }));
      expect(await status(a)).toBe(10);
    },
  },
});
