import { and, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { messages, readMarks, STATUS, tickets, users } from '../../db/schema.ts';
import { loadFilter } from './filters.ts';
import { dateColumn, flagColumn, intColumn, sqlNow, textColumn } from './list-columns.ts';
import { delayColumn, statusIs } from './queue-rows.ts';
import { clientVisible } from './ticket-data.ts';
import { CLIENT, defineFunction } from './types.ts';

/** The calling client's tickets (archived ones only when a filter asks for them), newest first. */
export const clientticket = defineFunction({
  name: 'clientticket',
  access: CLIENT,
  readOnly: true,
  params: z.object({}),
  async run(ctx) {
    const f = await loadFilter(ctx, 'clientticket');
    // The newest message the client can see; a scalar subquery, so only pages and filters that show
    // or test it pay for it.
    const last = (field: SQL) =>
      sql`(select ${field} from ${messages} where ${messages.ticketId} = ${tickets.id} and ${clientVisible}
           order by ${messages.id} desc limit 1)`;
    const name = textColumn(tickets.name);
    return {
      kind: 'list',
      source: {
        table: tickets,
        joins: sql`          left join ${users} on ${users.id} = ${tickets.createdBy}
          left join ${readMarks} on ${readMarks.ticketId} = ${tickets.id} and ${readMarks.userId} = ${ctx.session.userId}`,
        id: tickets.id,
        columns: {
          id: intColumn(tickets.id),
          name,
          last_message: textColumn(sql`coalesce(left(${last(sql`${messages.body}`)}, 200), '')`),
          wait_time: delayColumn(sqlNow(ctx)),
          create_user: textColumn(users.name),
          tstatus: intColumn(tickets.status, 'code'),
          unread: flagColumn(
            last(sql`${messages.fromStaff} and ${messages.id} > coalesce(${readMarks.lastMessageId}, 0)`),
          ),
          date: dateColumn(tickets.updatedAt),
        },
      },
      where: and(
        eq(tickets.clientId, ctx.session.clientId ?? -1),
        f.tstatus ? statusIs(f.tstatus) : undefined,
        f.name ? name.filter(f.name) : undefined,
      ),
      // Literal: a parameter would keep Postgres from using the client list's partial index.
      defaults: f.tstatus
        ? undefined
        : { tstatus: sql`${tickets.status} <> ${sql.raw(String(STATUS.archived))}` },
      defaultSort: 'date',
      defaultOrder: 'desc',
    };
  },
});
