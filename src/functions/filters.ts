import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Level, savedFilters } from '../../db/schema.ts';
import { flag, sok } from './params.ts';
import { defineFunction, type RunContext } from './types.ts';

/** A user's saved filter for a list (`ticket`, `clientticket`); empty when none. */
export async function loadFilter(ctx: RunContext, list: string): Promise<Record<string, string>> {
  const [row] = await ctx.tx
    .select({ params: savedFilters.params })
    .from(savedFilters)
    .where(and(eq(savedFilters.userId, ctx.session.userId), eq(savedFilters.list, list)));
  return row?.params ?? {};
}

export async function saveFilter(
  ctx: RunContext,
  list: string,
  params: Record<string, string>,
): Promise<void> {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  if (Object.keys(clean).length === 0) {
    await ctx.tx
      .delete(savedFilters)
      .where(and(eq(savedFilters.userId, ctx.session.userId), eq(savedFilters.list, list)));
    return;
  }
  await ctx.tx
    .insert(savedFilters)
    .values({ userId: ctx.session.userId, list, params: clean })
    .onConflictDoUpdate({ target: [savedFilters.userId, savedFilters.list], set: { params: clean } });
}

/**
 * A saved-filter function (`ticket.filter`, `clientticket.filter`): without `sok` the form with the
 * current filter, with `sok` the given fields replace it, `reset=on` clears it.
 */
export function savedFilterFunction<F extends z.ZodRawShape, N extends string>(def: {
  name: N;
  list: string;
  access: readonly Level[];
  fields: F;
}) {
  return defineFunction({
    name: def.name,
    access: def.access,
    params: z.object({ ...def.fields, reset: flag.optional(), sok: sok.optional() }),
    async run(ctx, params) {
      const { reset, sok: submit, ...fields } = params as Record<string, unknown>;
      if (!reset && !submit) return { kind: 'form', fields: await loadFilter(ctx, def.list) };
      const saved: Record<string, string> = {};
      for (const [key, value] of reset ? [] : Object.entries(fields)) {
        if (value === undefined || value === false) continue;
        saved[key] = Array.isArray(value) ? value.join(',') : value === true ? 'on' : String(value);
      }
      await saveFilter(ctx, def.list, saved);
      return { kind: 'ok', tickets: [] };
    },
  });
}
