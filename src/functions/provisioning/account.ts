import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../../db/rows.ts';
import { clients, users } from '../../../db/schema.ts';
import { missed } from '../errors.ts';
import { flagColumn, intColumn, moneyColumn, textColumn } from '../list-columns.ts';
import { flag, posInt, text } from '../params.ts';
import {
  disableFunction,
  editFunction,
  liveProvider,
  onlyProvider,
  posIntOrZero,
  providerOptions,
  signedMoney,
  wordList,
} from './common.ts';
import { listFunction, providerJoin, providerName } from './lists.ts';

/**
 * Client accounts, by BILLmanager's name for them: `account`. The list shows what the form does
 * (`fieldsOf`), and the provider's name.
 */
export const account = listFunction('account', {
  table: clients,
  joins: providerJoin(clients.providerId),
  id: clients.id,
  columns: {
    id: intColumn(clients.id),
    name: textColumn(clients.name),
    project_id: intColumn(clients.providerId),
    balance: moneyColumn(clients.balance),
    premium: flagColumn(clients.premium),
    groups: textColumn(sql`array_to_string(${clients.groups}, ', ')`),
    attitude: intColumn(clients.attitude, 'code'),
    incident_count: intColumn(clients.incidents),
    disabled: flagColumn(clients.disabled),
    project: providerName,
  },
});

type Client = typeof clients.$inferSelect;

const fieldsOf = (c: Client) => ({
  id: c.id,
  name: c.name,
  project_id: c.providerId,
  balance: c.balance,
  premium: c.premium,
  groups: c.groups.join(', '),
  attitude: String(c.attitude),
  incident_count: c.incidents,
  disabled: c.disabled,
});

export const accountEdit = editFunction({
  name: 'account.edit',
  kind: 'account',
  what: 'Client account',
  fields: {
    name: text(200).optional(),
    project: posInt.optional(),
    balance: signedMoney.optional(),
    premium: flag.optional(),
    groups: wordList.optional(),
    attitude: z.enum(['-1', '0', '1'], { message: 'must be -1 (difficult), 0 or 1 (loyal)' }).optional(),
    incident_count: posIntOrZero.optional(),
  },
  load: async (ctx, id) => (await ctx.tx.select().from(clients).where(eq(clients.id, id)))[0],
  form: async (ctx, current: Client | undefined) => ({
    kind: 'form',
    fields: current
      ? fieldsOf(current)
      : { balance: '0', premium: false, groups: '', attitude: '0', incident_count: 0 },
    options: {
      project: await providerOptions(ctx.tx),
      attitude: [
        { key: '-1', label: 'difficult' },
        { key: '0', label: 'neutral' },
        { key: '1', label: 'loyal' },
      ],
    },
  }),
  async save(ctx, p, current) {
    const name = p.name ?? current?.name;
    if (!name) throw missed('name', 'Parameter name is required');
    const providerId = p.project ?? current?.providerId ?? (await onlyProvider(ctx.tx));
    await liveProvider(ctx.tx, providerId);
    const values = {
      name,
      providerId,
      balance: p.balance ?? current?.balance ?? '0',
      premium: p.premium ?? current?.premium ?? false,
      groups: p.groups ?? current?.groups ?? [],
      attitude: p.attitude === undefined ? (current?.attitude ?? 0) : Number(p.attitude),
      incidents: p.incident_count ?? current?.incidents ?? 0,
      disabled: false,
    };
    const rows = current
      ? await ctx.tx.update(clients).set(values).where(eq(clients.id, current.id)).returning()
      : await ctx.tx.insert(clients).values(values).returning();
    return one(rows, 'client').id;
  },
});

/** The account and its users stop working; their tickets stay, as does what the audit log says. */
export const accountDelete = disableFunction({
  name: 'account.delete',
  what: 'Client account',
  load: (ctx, ids) => ctx.tx.select().from(clients).where(inArray(clients.id, ids)),
  async disable(ctx, rows) {
    const ids = rows.map((r) => r.id);
    await ctx.tx.update(clients).set({ disabled: true }).where(inArray(clients.id, ids));
    await ctx.tx.update(users).set({ disabled: true }).where(inArray(users.clientId, ids));
  },
});
