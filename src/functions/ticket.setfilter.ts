import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { clients } from '../../db/schema.ts';
import { missed } from './errors.ts';
import { loadFilter, saveFilter } from './filters.ts';
import { idList } from './params.ts';
import { defineFunction, STAFF } from './types.ts';

/** Filter the queue by client: replaces the `client` condition of the saved filter, keeps the rest. */
export const ticketSetfilter = defineFunction({
  name: 'ticket.setfilter',
  access: STAFF,
  params: z.object({ elid: idList }),
  async run(ctx, { elid }) {
    const found = await ctx.tx.select({ id: clients.id }).from(clients).where(inArray(clients.id, elid));
    const missing = elid.find((id) => !found.some((c) => c.id === id));
    if (missing !== undefined) throw missed('elid', `Client ${missing} does not exist`, String(missing));
    await saveFilter(ctx, 'ticket', { ...(await loadFilter(ctx, 'ticket')), client: elid.join(',') });
    return { kind: 'ok', tickets: [] };
  },
});
