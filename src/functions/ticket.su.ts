import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { users } from '../../db/schema.ts';
import { posInt } from './params.ts';
import { getTicket } from './ticket-data.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Log in with the rights of the ticket's client (the user who opened it). The front door turns the
 * answer into a session or a client's view; the switch itself is audited.
 */
export const ticketSu = defineFunction({
  name: 'ticket.su',
  access: STAFF,
  params: z.object({ elid: posInt }),
  async run(ctx, { elid }) {
    const t = await getTicket(ctx, elid);
    const user = one(
      await ctx.tx.select({ id: users.id, login: users.login }).from(users).where(eq(users.id, t.createdBy)),
      'ticket author',
    );
    return { kind: 'ok', tickets: [t.id], su: { userId: user.id, login: user.login } };
  },
});
