import { expect } from 'vitest';
import { ticketRow } from '../functions/support.ts';
import { useApi } from '../helpers/api.ts';
import { as } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

/** A ticket opened (and so locked) by the admin. */
async function locked() {
  const id = await api.w.openTicket();
  await api.w.run(api.w.as.admin, 'ticket.edit', { elid: String(id) });
  return String(id);
}

walkSpec(api, 'ticket.unblock', {
  base: async () => ({ elid: await locked(), sok: 'ok' }),
  cases: {
    // Locked ones are released; one not locked is already done.
    elid: async (level) => {
      const [a, b] = [await locked(), String(await api.w.openTicket())];
      await expectError(
        as(api, level).json('ticket.unblock', { elid: `${a},999999`, sok: 'ok' }),
        'missed',
        'elid',
      );
      expect((await ticketRow(db.db, Number(a))).lockedBy).not.toBeNull();
      await expectOk(as(api, level).json('ticket.unblock', { elid: `${a}, ${b}`, sok: 'ok' }));
      expect((await ticketRow(db.db, Number(a))).lockedBy).toBeNull();
      await expectOk(as(api, level).json('ticket.unblock', { elid: a, sok: 'ok' }));
    },
    sok: async (level) => {
      const a = await locked();
      await expectOk(as(api, level).json('ticket.unblock', { elid: a, sok: 'ok' }));
      expect((await ticketRow(db.db, Number(a))).lockedBy).toBeNull();
    },
  },
});
