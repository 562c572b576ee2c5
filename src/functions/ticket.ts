import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { departments, tickets } from '../../db/schema.ts';
import { OPEN_STATUSES } from '../domain/tickets.ts';
import { departmentScope } from './department-scope.ts';
import { loadFilter } from './filters.ts';
import { queueSource, statusIs } from './queue-rows.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * The staff queue: open tickets (or the status the saved filter asks for), sorted by queue weight.
 * The spec's columns are output, not input; inline filtering by them is `filter=on&COLUMN=VALUE`
 * (`filter=on&tstatus=3` reaches closed tickets too).
 */
export const ticket = defineFunction({
  name: 'ticket',
  access: STAFF,
  readOnly: true,
  params: z.object({}),
  async run(ctx) {
    const f = await loadFilter(ctx, 'ticket');
    const source = queueSource(ctx, ctx.session.userId);
    const { columns } = source;
    const where: (SQL | undefined)[] = [
      departmentScope(ctx.session),
      f.tstatus ? statusIs(f.tstatus) : undefined,
      f.id ? eq(tickets.id, Number(f.id)) : undefined,
      f.name ? columns.name.filter(f.name) : undefined,
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
      ...(['highpriority', 'favorite', 'abuse', 'unread'] as const).map((flag) =>
        f[flag] ? columns[flag].value : undefined,
      ),
    ];
    // Literal statuses: a parameter would keep Postgres from using the open queue's partial index.
    const open = sql`${tickets.status} in (${sql.raw(OPEN_STATUSES.join(', '))})`;
    return {
      kind: 'list',
      source,
      where: and(...where),
      defaults: f.tstatus ? undefined : { tstatus: open },
      defaultSort: 'queue',
      defaultOrder: 'desc',
    };
  },
});
