import { z } from 'zod';
import { STATUS } from '../../db/schema.ts';
import { isClosed } from '../domain/tickets.ts';
import { denied, invalid } from './errors.ts';
import { idList, sok } from './params.ts';
import { getTickets, updateTicket } from './ticket-data.ts';
import { CLIENT, defineFunction } from './types.ts';

/**
 * Move the client's closed tickets to the archive. Every listed ticket must be the client's and closed;
 * one already archived is done.
 */
export const clientticketArchive = defineFunction({
  name: 'clientticket.archive',
  access: CLIENT,
  params: z.object({ elid: idList, sok }),
  async run(ctx, { elid }) {
    // Locked in id order like every group action, so two overlapping calls cannot deadlock.
    const found = await getTickets(ctx, elid);
    const foreign = found.find((t) => t.clientId !== ctx.session.clientId);
    if (foreign) throw denied('elid', `Ticket ${foreign.id} is not yours`);
    const open = found.find((t) => !isClosed(t.status));
    if (open)
      throw invalid(
        'elid',
        `Ticket ${open.id} is not closed; only closed tickets can be archived`,
        String(open.id),
      );
    for (const t of found)
      if (t.status === STATUS.closed) await updateTicket(ctx, t, { status: STATUS.archived });
    return { kind: 'ok', tickets: elid };
  },
});
