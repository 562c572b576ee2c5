import { z } from 'zod';
import { STATUS } from '../../db/schema.ts';
import { isClosed } from '../domain/tickets.ts';
import { idList, sok } from './params.ts';
import { getTickets, updateTicket } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Close tickets: they leave the queue, the wait, the regulation deadline and the lock end. All or none
 * (an unknown id refuses the whole call); one already closed counts as done.
 */
export const ticketDelete = defineFunction({
  name: 'ticket.delete',
  access: STAFF,
  params: z.object({ elid: idList, sok }),
  async run(ctx, { elid }) {
    // A ticket already closed (or archived) is done, as in every group action; only the others are
    // touched (and named in the answer, so a front door can tell the two apart).
    const open = (await getTickets(ctx, elid)).filter((t) => !isClosed(t.status));
    for (const t of open) {
      await updateTicket(ctx, t, {
        status: STATUS.closed,
        waitingSince: null,
        // Nobody owes an answer any more: only a deadline a staff member set by hand stays.
        deadline: t.deadlineManual ? t.deadline : null,
        lockedBy: null,
        lockedUntil: null,
      });
    }
    return { kind: 'ok', tickets: open.map((t) => t.id) };
  },
});
