import { z } from 'zod';
import { STATUS } from '../../db/schema.ts';
import { invalid } from './errors.ts';
import { idList, sok } from './params.ts';
import { getOwnTicket, updateTicket } from './store.ts';
import { CLIENT, defineFunction } from './types.ts';

/** Move the client's closed tickets to the archive. Every listed ticket must be the client's and closed. */
export const clientticketArchive = defineFunction({
  name: 'clientticket.archive',
  access: CLIENT,
  params: z.object({ elid: idList, sok }),
  async run(ctx, { elid }) {
    const found = [];
    for (const id of elid) found.push(await getOwnTicket(ctx, id));
    const open = found.find((t) => t.status !== STATUS.closed && t.status !== STATUS.archived);
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
