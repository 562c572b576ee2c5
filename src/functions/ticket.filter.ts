import { z } from 'zod';
import { savedFilterFunction } from './filters.ts';
import { flag, idList, posInt, text } from './params.ts';
import { STAFF } from './types.ts';

/** The advanced filter of the staff queue; `ticket` applies it every time it lists. */
export const ticketFilter = savedFilterFunction({
  name: 'ticket.filter',
  list: 'ticket',
  access: STAFF,
  fields: {
    id: posInt.optional(),
    name: text(200).optional(),
    client: idList.optional(),
    project: posInt.optional(),
    department: posInt.optional(),
    responsible: posInt.optional(),
    tstatus: z.enum(['0', '1', '2', '3', '10'], { message: 'must be 0, 1, 2, 3 or 10' }).optional(),
    priority: z.enum(['0', '1', '2'], { message: 'must be 0, 1 or 2' }).optional(),
    favorite: flag.optional(),
    unread: flag.optional(),
    highpriority: flag.optional(),
    abuse: flag.optional(),
  },
});
