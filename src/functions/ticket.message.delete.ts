import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { messages } from '../../db/schema.ts';
import { messageChanged } from './effects.ts';
import { invalid, missed } from './errors.ts';
import { idList, posInt, sok } from './params.ts';
import { getTicket, recomputeWaiting } from './store.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Hide messages from the client. They stay in the database and staff still see them, marked hidden.
 * A hidden reply no longer answers the client, so the wait is recomputed.
 */
export const ticketMessageDelete = defineFunction({
  name: 'ticket.message.delete',
  access: STAFF,
  params: z.object({ elid: idList, plid: posInt.optional(), sok }),
  async run(ctx, { elid, plid }) {
    const found = await ctx.tx
      .select({ id: messages.id, ticketId: messages.ticketId })
      .from(messages)
      .where(and(inArray(messages.id, elid), plid ? eq(messages.ticketId, plid) : undefined));
    const missing = elid.find((id) => !found.some((m) => m.id === id));
    if (missing !== undefined)
      throw missed(
        'elid',
        `Message ${missing} does not exist${plid ? ` in ticket ${plid}` : ''}`,
        String(missing),
      );
    const ticketIds = [...new Set(found.map((m) => m.ticketId))];
    if (ticketIds.length > 1) throw invalid('elid', 'Messages of several tickets cannot be hidden at once');
    await ctx.tx.update(messages).set({ hidden: true }).where(inArray(messages.id, elid));
    for (const m of found) await messageChanged(ctx, m.ticketId, m.id);
    for (const id of ticketIds) await recomputeWaiting(ctx, await getTicket(ctx, id));
    return { kind: 'ok', tickets: ticketIds };
  },
});
