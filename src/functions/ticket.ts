import { and, eq, ilike, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { escapeLike } from '../../db/like.ts';
import { departments, favorites, tickets, violations } from '../../db/schema.ts';
import { OPEN_STATUSES } from '../domain/tickets.ts';
import { departmentScope } from './department-scope.ts';
import { loadFilter } from './filters.ts';
import { queueRows } from './queue-rows.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * The staff queue: open tickets (or the status the saved filter asks for), sorted by queue weight.
 * The spec's columns are output, not input; inline filtering by them is `filter=on&COLUMN=VALUE`.
 */
export const ticket = defineFunction({
  name: 'ticket',
  access: STAFF,
  params: z.object({}),
  async run(ctx) {
    const f = await loadFilter(ctx, 'ticket');
    const me = ctx.session.userId;
    const where: (SQL | undefined)[] = [
      departmentScope(ctx.session),
      f.tstatus ? eq(tickets.status, Number(f.tstatus) as 0) : inArray(tickets.status, OPEN_STATUSES),
      f.id ? eq(tickets.id, Number(f.id)) : undefined,
      f.name ? ilike(tickets.name, `%${escapeLike(f.name)}%`) : undefined,
      f.client ? inArray(tickets.clientId, f.client.split(',').map(Number)) : undefined,
      f.department ? eq(tickets.departmentId, Number(f.department)) : undefined,
      f.project
        ? inArray(
            tickets.departmentId,
            ctx.tx
              .select({ id: departments.id })
              .from(departments)
              .where(eq(departments.providerId, Number(f.project))),
          )
        : undefined,
      f.responsible ? eq(tickets.responsibleId, Number(f.responsible)) : undefined,
      f.priority ? eq(tickets.priority, Number(f.priority) as 0) : undefined,
      f.highpriority ? eq(tickets.highPriority, true) : undefined,
      f.favorite
        ? sql`exists (select 1 from ${favorites} where ${favorites.ticketId} = ${tickets.id} and ${favorites.userId} = ${me})`
        : undefined,
      f.abuse
        ? sql`exists (select 1 from ${violations} where ${violations.ticketId} = ${tickets.id})`
        : undefined,
    ];
    let rows = await queueRows(ctx, and(...where));
    if (f.unread) rows = rows.filter((row) => row.unread);
    return { kind: 'list', rows, defaultSort: 'queue', defaultOrder: 'desc' };
  },
});
