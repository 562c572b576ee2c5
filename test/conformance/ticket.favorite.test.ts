import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { favorites } from '../../db/schema.ts';
import { useApi } from '../helpers/api.ts';
import { as, type Level, LOGIN } from './spec.ts';
import { expectError, expectOk, walkSpec } from './walk.ts';

const { db, api } = useApi({}, { perFile: true });

const open = async () => String(await api.w.openTicket());
const isFavorite = async (level: Level, id: string) => {
  const who = api.w.ids[LOGIN[level]].id;
  const rows = await db.db
    .select()
    .from(favorites)
    .where(and(eq(favorites.userId, who), eq(favorites.ticketId, Number(id))));
  return rows.length === 1;
};

walkSpec(api, 'ticket.favorite', {
  base: async () => ({ elid: await open(), sok: 'ok' }),
  cases: {
    // Adds, idempotently: a script adding on every run keeps its favorites. remove=on removes.
    elid: async (level) => {
      const [a, b] = [await open(), await open()];
      await expectOk(as(api, level).json('ticket.favorite', { elid: a, sok: 'ok' }));
      await expectOk(as(api, level).json('ticket.favorite', { elid: `${a}, ${b}`, sok: 'ok' }));
      await expectOk(as(api, level).json('ticket.favorite', { elid: `${a}, ${b}`, sok: 'ok' }));
      expect([await isFavorite(level, a), await isFavorite(level, b)]).toEqual([true, true]);
      await expectOk(as(api, level).json('ticket.favorite', { elid: a, remove: 'on', sok: 'ok' }));
      await expectOk(as(api, level).json('ticket.favorite', { elid: a, remove: 'on', sok: 'ok' }));
      expect([await isFavorite(level, a), await isFavorite(level, b)]).toEqual([false, true]);
      await expectError(
        as(api, level).json('ticket.favorite', { elid: '999999', sok: 'ok' }),
        'missed',
        'elid',
      );
    },
    sok: async (level) => {
      const a = await open();
      await expectOk(as(api, level).json('ticket.favorite', { elid: a, sok: 'ok' }));
      expect(await isFavorite(level, a)).toBe(true);
    },
  },
});
