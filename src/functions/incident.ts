import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { clients, departments, incidentPurchases } from '../../db/schema.ts';
import { denied, invalid } from './errors.ts';
import { posInt, sok } from './params.ts';
import { CLIENT, defineFunction } from './types.ts';

/**
 * Buy paid support tickets from the client's balance, at the price of the provider's paid-support
 * department; without `count`, one. Without `sok` the form shows price, balance and tickets left.
 */
export const incident = defineFunction({
  name: 'incident',
  access: CLIENT,
  params: z.object({
    elid: posInt.optional(),
    count: posInt.refine((n) => n <= 1000, 'must be at most 1000').optional(),
    sok: sok.optional(),
  }),
  async run(ctx, { elid, count = 1, sok: submit }) {
    const clientId = ctx.session.clientId ?? -1;
    if (elid !== undefined && elid !== clientId)
      throw denied('elid', 'You can buy support tickets only for your own account');
    const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, clientId)).for('update');
    if (!client) throw denied('client', 'Your login is not linked to a client account');
    const [paid] = await ctx.tx
      .select({ price: departments.incidentPrice })
      .from(departments)
      .where(and(eq(departments.providerId, client.providerId), eq(departments.paidSupport, true)))
      .orderBy(departments.id)
      .limit(1);
    if (!paid) throw invalid('incident', 'Paid support is not offered by your provider');
    if (!submit) {
      return {
        kind: 'form',
        fields: {
          elid: client.id,
          price: paid.price,
          balance: client.balance,
          incident_count: client.incidents,
          count: '1',
        },
      };
    }
    const total = (Math.round(Number(paid.price) * 100) * count) / 100;
    if (Number(client.balance) < total) {
      throw invalid(
        'count',
        `${count} support tickets cost ${total.toFixed(2)}; your balance is ${client.balance}`,
        String(count),
      );
    }
    await ctx.tx
      .update(clients)
      .set({
        balance: sql`${clients.balance} - ${total.toFixed(2)}`,
        incidents: sql`${clients.incidents} + ${count}`,
      })
      .where(eq(clients.id, client.id));
    const purchase = await ctx.tx
      .insert(incidentPurchases)
      .values({
        clientId: client.id,
        userId: ctx.session.userId,
        count,
        amount: total.toFixed(2),
        createdAt: ctx.now,
      })
      .returning({ id: incidentPurchases.id });
    return { kind: 'ok', id: one(purchase, 'incident purchase').id, tickets: [] };
  },
});
