import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { messages } from '../../db/schema.ts';
import { messageChanged } from './effects.ts';
import { idList, posInt, sok } from './params.ts';
import { getTicketMessages, recomputeWaiting } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Hide messages of ticket `plid` from the client (`plid` is required: every message must be that
 * ticket's). They stay in the database and staff still see them, marked hidden. A hidden reply no
 * longer answers the client, so the wait is recomputed. Hiding a hidden message again is done.
 */
export const ticketMessageDelete = defineFunction({
  name: 'ticket.message.delete',
  access: STAFF,
  params: z.object({ elid: idList, plid: posInt, sok }),
  async run(ctx, { elid, plid }) {
    const { ticket, messages: found } = await getTicketMessages(ctx, plid, elid);
    const shown = found.filter((m) => !m.hidden);
    if (shown.length === 0) return { kind: 'ok', tickets: [plid] };
    await ctx.tx
      .update(messages)
      .set({ hidden: true })
      .where(
        inArray(
          messages.id,
          shown.map((m) => m.id),
        ),
      );
    for (const m of shown) await messageChanged(ctx, plid, m.id);
    await recomputeWaiting(ctx, ticket);
    return { kind: 'ok', tickets: [plid] };
  },
});
