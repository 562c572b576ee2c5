import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { favorites } from '../../db/schema.ts';
import { flag, idList, sok } from './params.ts';
import { getTickets } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Favorites are per staff member. As the spec says, the function adds: a ticket that already is a
 * favorite stays one, so a script may add on every run. `remove=on` (ours) takes them out again;
 * a ticket that is no favorite is then already done.
 */
export const ticketFavorite = defineFunction({
  name: 'ticket.favorite',
  access: STAFF,
  params: z.object({ elid: idList, remove: flag.optional(), sok }),
  async run(ctx, { elid, remove }) {
    await getTickets(ctx, elid);
    const me = ctx.session.userId;
    if (remove) {
      await ctx.tx.delete(favorites).where(and(eq(favorites.userId, me), inArray(favorites.ticketId, elid)));
    } else {
      await ctx.tx
        .insert(favorites)
        .values(elid.map((ticketId) => ({ userId: me, ticketId })))
        .onConflictDoNothing();
    }
    return { kind: 'ok', tickets: elid };
  },
});
