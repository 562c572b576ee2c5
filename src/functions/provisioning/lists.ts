import { type Column as DbColumn, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { providers } from '../../../db/schema.ts';
import { type Column, textColumn } from '../list-columns.ts';
import type { ListSource } from '../listing.ts';
import { defineFunction, type SqlList } from '../types.ts';
import { ROOT } from './common.ts';

/**
 * A provisioning list, paged in SQL like the ticket lists (listing.ts): accounts and client users grow
 * with the clients, so no list is read whole. Rows are sorted by id unless the caller sorts.
 */
export const listOf = <C extends Record<string, Column>>(
  source: ListSource<C>,
  where: SQL | undefined,
): SqlList<C> => ({ kind: 'list', source, where, defaultSort: 'id', defaultOrder: 'asc' });

/** A provisioning list without parameters of its own (paging, sorting and inline filters apply). */
export function listFunction<N extends string, C extends Record<string, Column>>(
  name: N,
  source: ListSource<C>,
  where?: SQL,
) {
  return defineFunction({
    name,
    access: ROOT,
    readOnly: true,
    params: z.object({}),
    run: async () => listOf(source, where),
  });
}

/** The join that names a department's or an account's provider: every one has one (a foreign key). */
export const providerJoin = (providerId: DbColumn) =>
  sql`left join ${providers} on ${providers.id} = ${providerId}`;

/** The provider's name, as the `project` column of the lists that join it. */
export const providerName = textColumn(providers.name);
