import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { favorites } from '../../db/schema.ts';
import { idList, sok } from './params.ts';
import { getTickets } from './store.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Favorites are per staff member. Like the star in BILLmanager the action toggles: if every listed
 * ticket is already a favorite they are removed, otherwise all of them become favorites.
 */
export const ticketFavorite = defineFunction({
  name: 'ticket.favorite',
  access: STAFF,
  params: z.object({ elid: idList, sok }),
  async run(ctx, { elid }) {
    await getTickets(ctx, elid);
    const me = ctx.session.userId;
    const mine = and(eq(favorites.userId, me), inArray(favorites.ticketId, elid));
    const existing = await ctx.tx.select().from(favorites).where(mine);
    if (existing.length === elid.length) {
      await ctx.tx.delete(favorites).where(mine);
    } else {
      await ctx.tx
        .insert(favorites)
        .values(elid.map((ticketId) => ({ userId: me, ticketId })))
        .onConflictDoNothing();
    }
    return { kind: 'ok', tickets: elid };
  },
});
