import { z } from 'zod';
import { posInt } from './params.ts';
import { getTicket } from './store.ts';
import { ticketMessages } from './ticket-form.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * A ticket's messages, internal notes and hidden ones included (staff only). The spec's `id`,
 * `message`, `date_post`, `message_user` are the columns; filter by them inline.
 */
export const ticketMessage = defineFunction({
  name: 'ticket.message',
  access: STAFF,
  params: z.object({ elid: posInt }),
  async run(ctx, { elid }) {
    await getTicket(ctx, elid);
    const rows = (await ticketMessages(ctx, elid)).map((m) => ({
      id: m.id,
      message: m.body,
      date_post: m.datePost,
      message_user: m.author,
      type: m.type,
      note: m.internal,
      hidden: m.hidden,
      edited: m.edited,
      attachments: m.attachments.map((a) => a.filename).join(', ') || undefined,
    }));
    return { kind: 'list', rows, defaultSort: 'id', defaultOrder: 'asc' };
  },
});
