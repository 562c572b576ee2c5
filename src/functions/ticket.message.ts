import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { attachments, messageEdits, messages, users } from '../../db/schema.ts';
import { dateColumn, flagColumn, intColumn, textColumn } from './list-columns.ts';
import { posInt } from './params.ts';
import { getTicket } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * A ticket's messages, internal notes and hidden ones included (staff only). The spec's `id`,
 * `message`, `date_post`, `message_user` are the columns; filter by them inline.
 */
export const ticketMessage = defineFunction({
  name: 'ticket.message',
  access: STAFF,
  readOnly: true,
  params: z.object({ elid: posInt }),
  async run(ctx, { elid }) {
    await getTicket(ctx, elid);
    return {
      kind: 'list',
      source: {
        table: messages,
        joins: sql`left join ${users} on ${users.id} = ${messages.authorId}`,
        id: messages.id,
        columns: {
          id: intColumn(messages.id),
          message: textColumn(messages.body),
          date_post: dateColumn(messages.createdAt),
          message_user: textColumn(users.name),
          type: textColumn(sql`case when ${messages.fromStaff} then 'outcoming' else 'incoming' end`),
          note: flagColumn(messages.internal),
          hidden: flagColumn(messages.hidden),
          edited: flagColumn(
            sql`exists (select 1 from ${messageEdits} where ${messageEdits.messageId} = ${messages.id})`,
          ),
          attachments: textColumn(
            sql`(select string_agg(${attachments.filename}, ', ' order by ${attachments.id}) from ${attachments}
                 where ${attachments.messageId} = ${messages.id})`,
          ),
        },
      },
      where: eq(messages.ticketId, elid),
      defaultSort: 'id',
      defaultOrder: 'asc',
    };
  },
});
