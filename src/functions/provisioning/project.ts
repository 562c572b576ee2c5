import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { one } from '../../../db/rows.ts';
import { clients, departments, providers } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { flagColumn, intColumn, textColumn } from '../list-columns.ts';
import { text } from '../params.ts';
import { disableFunction, editFunction, exists } from './common.ts';
import { listFunction } from './lists.ts';

/** Providers, by BILLmanager's name for them: `project`. */
export const project = listFunction('project', {
  table: providers,
  joins: sql``,
  id: providers.id,
  columns: {
    id: intColumn(providers.id),
    name: textColumn(providers.name),
    disabled: flagColumn(providers.disabled),
  },
});

type Provider = typeof providers.$inferSelect;

export const projectEdit = editFunction({
  name: 'project.edit',
  kind: 'project',
  what: 'Provider',
  fields: { name: text(200).optional() },
  load: async (ctx, id) => (await ctx.tx.select().from(providers).where(eq(providers.id, id)))[0],
  form: async (_ctx, current: Provider | undefined) => ({
    kind: 'form',
    fields: { id: current?.id, name: current?.name ?? '', disabled: current?.disabled ?? false },
  }),
  async save(ctx, p, current) {
    const name = p.name ?? current?.name;
    if (!name) throw missed('name', 'Parameter name is required');
    const [same] = await ctx.tx
      .select()
      .from(providers)
      .where(and(eq(providers.name, name), current ? ne(providers.id, current.id) : undefined));
    if (same) throw exists('name', `A provider named ${name} exists`, name);
    // Saving a disabled provider brings it back: that is how a deletion is undone.
    const rows = current
      ? await ctx.tx
          .update(providers)
          .set({ name, disabled: false })
          .where(eq(providers.id, current.id))
          .returning()
      : await ctx.tx.insert(providers).values({ name }).returning();
    return one(rows, 'provider').id;
  },
});

export const projectDelete = disableFunction({
  name: 'project.delete',
  what: 'Provider',
  load: (ctx, ids) => ctx.tx.select().from(providers).where(inArray(providers.id, ids)),
  async disable(ctx, rows) {
    const ids = rows.map((r) => r.id);
    // A provider still serving someone would strand them: its departments and accounts go first.
    for (const [table, what] of [
      [departments, 'departments'],
      [clients, 'client accounts'],
    ] as const) {
      const [live] = await ctx.tx
        .select({ provider: table.providerId })
        .from(table)
        .where(and(inArray(table.providerId, ids), eq(table.disabled, false)))
        .limit(1);
      if (live)
        throw invalid(
          'elid',
          `Provider ${live.provider} still has ${what}; delete them first`,
          String(live.provider),
        );
    }
    await ctx.tx.update(providers).set({ disabled: true }).where(inArray(providers.id, ids));
  },
});
