import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { messageEdits, messages } from '../../db/schema.ts';
import { messageChanged } from './effects.ts';
import { missed } from './errors.ts';
import { posInt, sok, text } from './params.ts';
import { addStaffMessage, getTicket, getTicketMessages } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Edit a message of ticket `plid` (its previous text is kept in the edit history), or, without
 * `elid`, add a staff reply. Without `sok` it returns the message's form.
 */
export const ticketMessageEdit = defineFunction({
  name: 'ticket.message.edit',
  access: STAFF,
  params: z.object({
    plid: posInt,
    elid: posInt.optional(),
    message: text(50_000).optional(),
    sok: sok.optional(),
  }),
  async run(ctx, { plid, elid, message, sok: submit }) {
    const {
      ticket: t,
      messages: [found],
    } = elid
      ? await getTicketMessages(ctx, plid, [elid])
      : { ticket: await getTicket(ctx, plid, 'plid'), messages: [] };
    if (!submit) return { kind: 'form', fields: { plid, elid: elid ?? '', message: found?.body ?? '' } };
    if (!message) throw missed('message', 'Parameter message is required');
    if (!found) {
      const added = await addStaffMessage(ctx, t, { body: message });
      return { kind: 'ok', id: added.messageId, tickets: [plid], messageId: added.messageId };
    }
    if (found.body !== message) {
      await ctx.tx.insert(messageEdits).values({
        messageId: found.id,
        editorId: ctx.session.userId,
        previousBody: found.body,
        editedAt: ctx.now,
      });
      await ctx.tx
        .update(messages)
        .set({ body: message, editedAt: ctx.now })
        .where(eq(messages.id, found.id));
      await messageChanged(ctx, plid, found.id);
    }
    return { kind: 'ok', tickets: [plid], messageId: found.id };
  },
});
