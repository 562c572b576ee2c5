import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { escalations, users } from '../../db/schema.ts';
import { denied, invalid, missed } from './errors.ts';
import { posInt } from './params.ts';
import { take } from './planners/oncall.ts';
import { getTicket } from './ticket-data.ts';
import { applyFields } from './ticket-fields.ts';
import { defineFunction, STAFF } from './types.ts';

/**
 * Ours: the Ack button of an on-call page (`elid` = the paging episode). The first staff member to
 * press it takes the ticket: the chain stops, the pages are updated, and the ticket is assigned to
 * them (so its SLA warnings mention them, not the whole group). A later press learns who already did
 * (`ack.taken` false, `ack.by`). The taker is recorded by Slack user id when linked, else by name.
 */
export const oncallAck = defineFunction({
  name: 'oncall.ack',
  access: STAFF,
  params: z.object({ elid: posInt }),
  async run(ctx, p) {
    const [me] = await ctx.tx
      .select({ slack: users.slackUserId, name: users.name, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, ctx.session.userId));
    if (!me || me.disabled) throw denied('user', 'Only staff members can take on-call tickets');
    const [esc] = await ctx.tx.select().from(escalations).where(eq(escalations.id, p.elid)).for('update');
    if (!esc) throw missed('elid', `Page ${p.elid} does not exist`, String(p.elid));
    const ticketId = esc.ticketId;
    if (esc.ackedAt) return { kind: 'ok', tickets: [ticketId], ack: { taken: false, by: esc.ackedBy } };
    if (esc.endedAt) throw invalid('elid', `Ticket ${ticketId} no longer needs on-call`);
    const by = me.slack ?? me.name;
    await take(ctx.tx, esc, by, ctx.now);
    await applyFields(ctx, await getTicket(ctx, ticketId), { responsible: ctx.session.userId });
    return { kind: 'ok', tickets: [ticketId], ack: { taken: true, by } };
  },
});
