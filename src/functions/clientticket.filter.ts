import { z } from 'zod';
import { savedFilterFunction } from './filters.ts';
import { text } from './params.ts';
import { CLIENT } from './types.ts';

/** A client user's filter of their ticket list; `clientticket` applies it every time it lists. */
export const clientticketFilter = savedFilterFunction({
  name: 'clientticket.filter',
  list: 'clientticket',
  access: CLIENT,
  fields: {
    name: text(200).optional(),
    tstatus: z.enum(['0', '1', '2', '3', '10'], { message: 'must be 0, 1, 2, 3 or 10' }).optional(),
  },
});
