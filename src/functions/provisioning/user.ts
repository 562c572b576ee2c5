import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { clients, type User, users } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { intColumn, textColumn } from '../list-columns.ts';
import { posInt } from '../params.ts';
import { defineFunction, type RunContext } from '../types.ts';
import { disableFunction, editFunction, ROOT } from './common.ts';
import { listOf } from './lists.ts';
import { email, loadPerson, personColumns, personFields, personView, savePerson } from './people.ts';

/** The users of client accounts (BILLmanager's `user`); `account=ID` lists one account's. */
export const user = defineFunction({
  name: 'user',
  access: ROOT,
  readOnly: true,
  params: z.object({ account: posInt.optional() }),
  run: async (_ctx, p) =>
    listOf(
      clientUsers,
      and(
        eq(users.level, 'user'),
        // Every client user has an account; should one not, it stays out, as it did when the list
        // inner-joined the accounts.
        isNotNull(users.clientId),
        p.account ? eq(users.clientId, p.account) : undefined,
      ),
    ),
});

/** What the form shows (`fieldsOf`), and the account's name. */
const clientUsers = {
  table: users,
  joins: sql`left join ${clients} on ${clients.id} = ${users.clientId}`,
  id: users.id,
  columns: {
    ...personColumns,
    account_id: intColumn(users.clientId),
    email: textColumn(users.email),
    account: textColumn(clients.name),
  },
};

const fieldsOf = (u: User) => ({
  ...personView(u),
  account_id: u.clientId ?? undefined,
  email: u.email ?? undefined,
});

export const userEdit = editFunction({
  name: 'user.edit',
  kind: 'user',
  what: 'Client user',
  fields: { ...personFields, account: posInt.optional(), email: email.optional() },
  load: clientUser,
  form: async (_ctx, current: User | undefined) => ({
    kind: 'form',
    fields: current ? fieldsOf(current) : { password: false },
  }),
  async save(ctx, p, current) {
    const clientId = p.account ?? current?.clientId;
    if (!clientId) throw missed('account', 'Parameter account (the client account) is required');
    const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, clientId));
    if (!client) throw missed('account', `Client account ${clientId} does not exist`, String(clientId));
    if (client.disabled)
      throw invalid('account', `Client account ${client.name} is deleted`, String(clientId));
    const row = await savePerson(ctx, p, current, {
      level: 'user',
      clientId,
      email: p.email ?? current?.email ?? null,
    });
    return row.id;
  },
});

export const userDelete = disableFunction({
  name: 'user.delete',
  what: 'Client user',
  load: (ctx, ids) =>
    ctx.tx
      .select()
      .from(users)
      .where(and(inArray(users.id, ids), eq(users.level, 'user'))),
  async disable(ctx, rows) {
    await ctx.tx
      .update(users)
      .set({ disabled: true })
      .where(
        inArray(
          users.id,
          rows.map((r) => r.id),
        ),
      );
  },
});

/** A staff member's id is not a client user's: `user.edit` never turns staff into clients. */
async function clientUser(ctx: RunContext, id: number) {
  const row = await loadPerson(ctx, id);
  return row?.level === 'user' ? row : undefined;
}
