import { and, asc, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { messages, STATUS, tickets } from '../../db/schema.ts';
import { invalid, missed } from './errors.ts';
import { idList, posInt, sok } from './params.ts';
import { getTicketMessages, recomputeWaiting } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Split ticket `plid` at its message `elid`: that message and every later one move to a new ticket of
 * the same client, department and priorities. `plid` is required and the message must be that ticket's,
 * so a ticket id sent as `elid` cannot split some other ticket. Splitting at the first message is
 * refused (nothing would be left behind). Both tickets' waiting time and deadline are recomputed.
 */
export const ticketSplit = defineFunction({
  name: 'ticket.split',
  access: STAFF,
  params: z.object({ elid: idList, plid: posInt, sok }),
  async run(ctx, { elid, plid }) {
    if (elid.length > 1) throw invalid('elid', 'Choose one message to split from');
    const {
      ticket: source,
      messages: [at],
    } = await getTicketMessages(ctx, plid, elid);
    if (!at) throw missed('elid', 'Choose the message to split from');
    if (source.status === STATUS.archived) throw invalid('plid', `Ticket ${source.id} is archived`);
    // The ticket has at least the message `at`.
    const first = one(
      await ctx.tx
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.ticketId, source.id))
        .orderBy(asc(messages.id))
        .limit(1),
      'first message',
    );
    if (first.id === at.id)
      throw invalid('elid', 'Cannot split at the first message: the old ticket would be empty');

    const { id: _id, ...copy } = source;
    const created = one(
      await ctx.tx
        .insert(tickets)
        .values({
          ...copy,
          name: `${source.name} (split)`.slice(0, 200),
          splitFrom: source.id,
          lockedBy: null,
          lockedUntil: null,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning(),
      'split ticket',
    );
    await ctx.tx
      .update(messages)
      .set({ ticketId: created.id })
      .where(and(eq(messages.ticketId, source.id), gte(messages.id, at.id)));
    await recomputeWaiting(ctx, source);
    await recomputeWaiting(ctx, created);
    return { kind: 'ok', id: created.id, tickets: [source.id, created.id] };
  },
});
