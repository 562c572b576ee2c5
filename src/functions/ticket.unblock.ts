import { z } from 'zod';
import { idList, sok } from './params.ts';
import { getTickets, updateTicket } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/** Release the lock a staff member took by opening a ticket; unlocked tickets stay as they are. */
export const ticketUnblock = defineFunction({
  name: 'ticket.unblock',
  access: STAFF,
  params: z.object({ elid: idList, sok }),
  async run(ctx, { elid }) {
    for (const t of await getTickets(ctx, elid)) {
      if (t.lockedBy !== null) await updateTicket(ctx, t, { lockedBy: null, lockedUntil: null });
    }
    return { kind: 'ok', tickets: elid };
  },
});
