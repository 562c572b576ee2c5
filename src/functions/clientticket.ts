import { and, desc, eq, ilike, max, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { escapeLike } from '../../db/like.ts';
import { messages, readMarks, STATUS, tickets, users } from '../../db/schema.ts';
import { delay } from '../domain/tickets.ts';
import { loadFilter } from './filters.ts';
import { clientVisible } from './store.ts';
import { CLIENT, defineFunction } from './types.ts';

/** The calling client's tickets (archived ones only when the filter asks for them), newest first. */
export const clientticket = defineFunction({
  name: 'clientticket',
  access: CLIENT,
  params: z.object({}),
  async run(ctx) {
    const f = await loadFilter(ctx, 'clientticket');
    const lastVisible = ctx.tx
      .select({ ticketId: messages.ticketId, last: max(messages.id).as('last') })
      .from(messages)
      .where(clientVisible)
      .groupBy(messages.ticketId)
      .as('lv');
    const found = await ctx.tx
      .select({
        t: tickets,
        author: users.name,
        lastId: lastVisible.last,
        lastBody: sql<
          string | null
        >`(select ${messages.body} from ${messages} where ${messages.id} = ${lastVisible.last})`,
        lastFromStaff: sql<boolean>`(select ${messages.fromStaff} from ${messages} where ${messages.id} = ${lastVisible.last})`,
        read: readMarks.lastMessageId,
      })
      .from(tickets)
      .innerJoin(users, eq(users.id, tickets.createdBy))
      .leftJoin(lastVisible, eq(lastVisible.ticketId, tickets.id))
      .leftJoin(readMarks, and(eq(readMarks.ticketId, tickets.id), eq(readMarks.userId, ctx.session.userId)))
      .where(
        and(
          eq(tickets.clientId, ctx.session.clientId ?? -1),
          f.tstatus ? eq(tickets.status, Number(f.tstatus) as 0) : ne(tickets.status, STATUS.archived),
          f.name ? ilike(tickets.name, `%${escapeLike(f.name)}%`) : undefined,
        ),
      )
      .orderBy(desc(tickets.updatedAt));
    const rows = found.map(({ t, ...r }) => ({
      id: t.id,
      name: t.name,
      last_message: r.lastBody ? r.lastBody.slice(0, 200) : '',
      wait_time: delay(t.waitingSince, ctx.now),
      create_user: r.author,
      tstatus: String(t.status),
      unread: Boolean(r.lastFromStaff) && (r.lastId ?? 0) > (r.read ?? 0),
      date: t.updatedAt,
    }));
    return { kind: 'list', rows, defaultSort: 'date', defaultOrder: 'desc' };
  },
});
